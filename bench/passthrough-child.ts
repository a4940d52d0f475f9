import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { serveControl } from './child-control.js';

/**
 * The baseline: a bare express 5 + http-proxy-middleware 3 pass-through that forwards every
 * request with the Genesys token and scopes nothing. It keeps upstream connections alive, as the
 * proxy does, so the comparison is not about connection setup.
 */
const upstream = process.env['BENCH_UPSTREAM_URL']!;
const credentials = Buffer.from(`${process.env['BENCH_CLIENT_ID']}:${process.env['BENCH_CLIENT_SECRET']}`).toString('base64');
const login = await fetch(`${upstream}/oauth/token`, {
  method: 'POST',
  headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
});
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const { access_token: token } = (await login.json()) as { access_token: string };

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(
  createProxyMiddleware({
    target: upstream,
    changeOrigin: true,
    agent: new http.Agent({ keepAlive: true, maxSockets: 128 }),
    on: {
      proxyReq: (proxyReq) => {
        proxyReq.removeHeader('x-api-key');
        proxyReq.setHeader('authorization', `Bearer ${token}`);
      },
    },
  }),
);
const server = http.createServer(app);
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
serveControl({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
