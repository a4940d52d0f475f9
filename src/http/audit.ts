import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import type { RequestObserver } from '../operations/request-record.js';
import { AUDIT_PATH } from '../tenant-audit/audit-view.js';
import { stateOf, type RequestState } from './request-state.js';

/** Probes are too frequent and carry no tenant: not audited. */
const UNAUDITED_PATHS = new Set(['/healthz', '/readyz']);
/** Routes the proxy answers itself, outside the policy table. */
const OWN_ROUTES = new Set(['/oauth/token', AUDIT_PATH]);

/**
 * One audit line per tenant request, written when the response is done. Fields are allowlisted
 * here: the key id is logged, never the key; the path pattern and the path, never headers.
 */
export function auditTrail(logger: Logger, metrics: Metrics, observers: readonly RequestObserver[] = [], now: () => number = Date.now): RequestHandler {
  const audit = logger.child({ log: 'audit' });
  return function auditMiddleware(req, res, next) {
    let written = false;
    const write = (aborted: boolean) => {
      if (written) return;
      written = true;
      const state = stateOf(res);
      const durationMs = Number(process.hrtime.bigint() - state.startedAt) / 1e6;
      if (state.path !== undefined && UNAUDITED_PATHS.has(state.path) && req.method === 'GET') return;
      const route = state.match?.route.rule.path ?? (state.path !== undefined && OWN_ROUTES.has(state.path) ? state.path : 'unmatched');
      const tenant = state.tenant?.id ?? 'none';
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      recordMetrics(metrics, state, tenant, route, status, durationMs);
      const record = {
        at: now(),
        correlationId: state.correlationId,
        tenantId: state.tenant?.id,
        keyId: state.key?.id,
        method: req.method,
        route,
        status,
        upstreamCalls: state.upstreamCalls,
        entitiesReturned: state.entitiesReturned,
        entitiesRemoved: state.entitiesRemoved,
        denial: state.denial,
        durationMs,
      };
      audit.info(
        {
          correlationId: state.correlationId,
          tenant: state.tenant?.id,
          keyId: state.key?.id,
          method: req.method,
          route,
          path: state.path,
          status,
          upstreamStatus: state.upstreamStatus,
          upstreamCalls: state.upstreamCalls,
          entitiesReturned: state.entitiesReturned,
          entitiesRemoved: state.entitiesRemoved,
          durationMs: Math.round(durationMs * 100) / 100,
          upstreamMs: Math.round(state.upstreamMs * 100) / 100,
          ...(state.scopedBy ? { scopedBy: state.scopedBy } : {}),
          ...(state.denial ? { denied: state.denial } : {}),
          ...(aborted ? { aborted: true } : {}),
        },
        'request',
      );
      for (const observe of observers) {
        try {
          observe(record);
        } catch (error) {
          // An observer (console, audit view) must never cost the audit line or the process.
          logger.error({ err: error, correlationId: state.correlationId }, 'request observer failed');
        }
      }
    };
    res.once('finish', () => write(false));
    res.once('close', () => write(!res.writableFinished));
    next();
  };
}

function recordMetrics(metrics: Metrics, state: RequestState, tenant: string, route: string, status: number, durationMs: number): void {
  metrics.requests.inc({ tenant, route, status: String(status) });
  metrics.requestDuration.observe({ route }, durationMs / 1000);
  metrics.tenantRequestDuration.observe({ tenant }, durationMs / 1000);
  if (status >= 400 && status < 499) metrics.refusals.inc({ tenant, status: String(status), reason: state.denial ?? 'other' });
  metrics.overheadDuration.observe({ route }, Math.max(0, durationMs - state.upstreamMs) / 1000);
  if (state.upstreamCalls > 0) {
    metrics.upstreamDuration.observe({ route }, state.upstreamMs / 1000);
    metrics.upstreamCalls.inc({ route }, state.upstreamCalls);
    if (state.tenant) metrics.tenantUpstreamCalls.inc({ tenant }, state.upstreamCalls);
  }
  if (state.entitiesRemoved) metrics.entitiesRemoved.inc({ tenant, route }, state.entitiesRemoved);
  if (state.scopedBy) metrics.scopedAnswers.inc({ route, by: state.scopedBy });
}
