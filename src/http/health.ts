import type { RequestHandler } from 'express';
import { readinessReport } from './operations-server.js';
import { stateOf } from './request-state.js';
import { sendJson } from './send.js';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves to undefined when ready, or to a short reason when not. */
  readonly check: () => Promise<string | undefined>;
  /** A failing check that only degrades service (Redis down: per-replica state) keeps the proxy ready. */
  readonly degradesOnly?: boolean;
}

/**
 * `/healthz` says the process answers; `/readyz` says it can serve tenants. Neither needs a
 * credential, so neither may show tenant data: only check names and reasons.
 */
export function healthEndpoints(checks: readonly ReadinessCheck[]): RequestHandler {
  return async function healthMiddleware(req, res, next) {
    const path = stateOf(res).path;
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return next();
    const correlationId = stateOf(res).correlationId;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' }, correlationId);
    const report = await readinessReport(checks);
    sendJson(res, report.ready ? 200 : 503, report.body, correlationId);
  };
}
