import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { RateLimiter } from '../../state/rate-limits/rate-limiter.js';
import type { TenantRegistry } from '../../tenants/tenant-registry.js';
import { stateOf } from '../request-state.js';

export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  readonly tenants: () => TenantRegistry;
  readonly upstreamPerMinute: number;
  readonly defaultTenantPerMinute: number;
  readonly metrics: Metrics;
}

/** Applies the tenant's limit and its fair share of the Genesys budget before any upstream work. */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  return async function rateLimitMiddleware(_req, res, next) {
    const state = stateOf(res);
    const tenant = state.tenant;
    if (!tenant) return next();
    // Equal shares of the budget for every configured tenant; idle shares can be borrowed.
    const sharePerMinute = Math.max(1, options.upstreamPerMinute / Math.max(1, options.tenants().size));
    const decision = await options.limiter.take({
      tenantId: tenant.id,
      tenantPerMinute: tenant.requestsPerMinute ?? options.defaultTenantPerMinute,
      sharePerMinute,
    });
    if (decision.allowed) return next();
    options.metrics.rateLimitRejections.inc({ tenant: tenant.id, limit: decision.limit });
    throw new GatewayError('too.many.requests', {
      audit: decision.limit === 'tenant' ? 'tenant rate limit' : 'share of the Genesys budget used up',
      retryAfter: decision.retryAfterSeconds,
      message:
        decision.limit === 'tenant'
          ? `Rate limit exceeded for this tenant. Retry the request in [${decision.retryAfterSeconds}] seconds.`
          : `This tenant's share of the Genesys Cloud request budget is used up. Retry the request in [${decision.retryAfterSeconds}] seconds.`,
    });
  };
}
