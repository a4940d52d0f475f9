# syntax=docker/dockerfile:1

# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The simulator, the demo and the README generator are development tools: the production entry
# points never import them (test/unit/production-imports.test.ts), so they are not shipped.
RUN npm run build && rm -rf dist/simulator dist/demo dist/docs

# Runtime stage: production dependencies and compiled code only, as the unprivileged node user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    TENANTS_DIR=/etc/genesys-division-proxy/tenants
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# No tenant files are baked in: mount them (read-only) at $TENANTS_DIR.
RUN mkdir -p /etc/genesys-division-proxy/tenants && chown -R node:node /etc/genesys-division-proxy
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
