import { randomUUID } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { bearerAuth, tokenHandler, type OtherClients } from './auth.js';
import type { SimulatorContext } from './context.js';
import { SimulatorError } from './errors.js';
import { faultMiddleware } from './fault-middleware.js';
import type { RequestLog } from './request-log.js';
import { localsOf, sendError } from './respond.js';
import { agentStateRoutes } from './routes-agent-state.js';
import { analyticsJobRoutes } from './routes-analytics-jobs.js';
import { presenceRoutes } from './routes-presence.js';
import { analyticsRoutes } from './routes-analytics.js';
import { directoryRoutes } from './routes-directory.js';
import { notificationRoutes } from './routes-notifications.js';
import { queueMemberRoutes } from './routes-queue-members.js';
import { queueViewRoutes } from './routes-queue-views.js';
import { queueRoutes } from './routes-queues.js';
import type { TimerSet } from './timers.js';
import type { TokenRateLimiter, TokenStore } from './tokens.js';

export interface AppParts {
  readonly context: SimulatorContext;
  readonly tokens: TokenStore;
  readonly limiter: TokenRateLimiter | undefined;
  readonly requestLog: RequestLog;
  readonly timers: TimerSet;
  /** Clients whose roles are granted only in some divisions: their secret and the API as they see it. */
  readonly scopedClients?: ScopedClients;
}

export interface ScopedClients {
  readonly lookup: OtherClients;
  /** The API routes as one client sees the org, or undefined for the main client (sees everything). */
  readonly routesFor: (clientId: string | undefined) => Router | undefined;
}

/** Genesys's `request.bytes.max`. */
const MAX_BODY_BYTES = 512_000;
const SAFE_CORRELATION_ID = /^[\w.:-]{1,128}$/;

/** Every answer carries a correlation id (the caller's, when it sent one) and Genesys's no-cache headers. */
const correlation: RequestHandler = (req, res, next) => {
  const inbound = req.headers['inin-correlation-id'];
  const id = typeof inbound === 'string' && SAFE_CORRELATION_ID.test(inbound) ? inbound : randomUUID();
  localsOf(res).correlationId = id;
  res.setHeader('inin-correlation-id', id);
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Expires', '0');
  next();
};

function recordRequests(log: RequestLog): RequestHandler[] {
  const readBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  return [
    (req, res, next) => {
      const entry = log.record(req);
      if (entry) localsOf(res).logEntry = entry;
      next();
    },
    readBody,
    (req, res, next) => {
      const entry = localsOf(res).logEntry;
      if (entry && Buffer.isBuffer(req.body)) entry.setBody(req.body.toString('utf8'));
      next();
    },
  ];
}

const notFoundHandler: RequestHandler = (_req, res) => {
  sendError(res, 404, 'not.found', 'The requested resource was not found.');
};

const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (res.headersSent) {
    res.socket?.destroy();
    return;
  }
  if (error instanceof SimulatorError) {
    sendError(res, error.status, error.code, error.message);
    return;
  }
  const type = (error as { type?: unknown } | undefined)?.type;
  if (type === 'entity.too.large') sendError(res, 413, 'request.entity.too.large', `The request is over the size limit. Maximum bytes: ${MAX_BODY_BYTES}`);
  else if (type === 'request.aborted') res.socket?.destroy();
  else sendError(res, 500, 'internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.');
};

/** Every API route, reading the org of `context` (the whole org, or one client's view of it). */
export function apiRoutes(context: SimulatorContext): Router {
  const routes = Router();
  // Division views before `/routing/queues/:queueId`, which would otherwise swallow them.
  routes.use(queueViewRoutes(context));
  routes.use(queueMemberRoutes(context));
  routes.use(queueRoutes(context));
  routes.use(directoryRoutes(context));
  routes.use(analyticsJobRoutes(context));
  routes.use(analyticsRoutes(context));
  routes.use(presenceRoutes(context));
  routes.use(agentStateRoutes(context, context.agents));
  routes.use(notificationRoutes(context, context.notifications));
  return routes;
}

export function buildApp({ context, tokens, limiter, requestLog, timers, scopedClients }: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(correlation);
  app.use(recordRequests(requestLog));
  app.use(faultMiddleware(context.faults, timers));
  app.post('/oauth/token', tokenHandler(tokens, context.options, scopedClients?.lookup));

  const api = Router();
  api.use(bearerAuth(tokens, limiter));
  if (scopedClients) {
    api.use((req, res, next) => {
      const routes = scopedClients.routesFor(localsOf(res).clientId);
      if (!routes) return next();
      // Never fall through to the whole org's routes.
      routes(req, res, (error?: unknown) => (error ? next(error) : notFoundHandler(req, res, next)));
    });
  }
  api.use(apiRoutes(context));
  app.use('/api/v2', api);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
