import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { RateLimiter } from '../../state/rate-limits/rate-limiter.js';
import { stateOf } from '../request-state.js';

export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  readonly defaultTenantPerMinute: number;
  readonly metrics: Metrics;
}

/**
 * Applies the tenant's own limit, once per request, before any upstream work. The Genesys budget
 * is charged per call to Genesys, by the upstream client, as the calls are made.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  return async function rateLimitMiddleware(_req, res, next) {
    const state = stateOf(res);
    const tenant = state.tenant;
    if (!tenant) return next();
    const decision = await options.limiter.take({ tenantId: tenant.id, tenantPerMinute: tenant.requestsPerMinute ?? options.defaultTenantPerMinute });
    if (decision.allowed) return next();
    options.metrics.rateLimitRejections.inc({ tenant: tenant.id, limit: decision.limit });
    throw new GatewayError('too.many.requests', {
      audit: 'tenant rate limit',
      retryAfter: decision.retryAfterSeconds,
      message: `Rate limit exceeded for this tenant. Retry the request in [${decision.retryAfterSeconds}] seconds.`,
    });
  };
}
