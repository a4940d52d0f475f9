import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Policy } from '../scoping/policy.js';
import type { TenantStore } from '../tenants/tenant-store.js';
import type { RowExecutor } from '../executor/row-executor.js';
import type { NotificationService } from '../notifications/notification-service.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RateLimiter } from '../state/rate-limits/rate-limiter.js';
import { FailureThrottle } from '../state/rate-limits/failure-throttle.js';
import { auditTrail } from './audit.js';
import { rateLimit } from './middleware/rate-limit.js';
import { errorHandler } from './error-handler.js';
import { healthEndpoints, type ReadinessCheck } from './health.js';
import type { TenantTokens } from '../tenant-tokens/tenant-tokens.js';
import { authenticate } from './middleware/authenticate.js';
import { correlation } from './middleware/correlation.js';
import { divisionNarrowing } from './middleware/division-narrowing.js';
import { requestGuard } from './middleware/request-guard.js';
import { routePolicy } from './middleware/route-policy.js';
import { oauthTokenEndpoint } from './oauth-token-endpoint.js';
import { routeHandler } from './route-handler.js';
import type { RequestObserver } from '../operations/request-record.js';
import type { AuditStore } from '../tenant-audit/audit-store.js';
import { tenantAuditEndpoint } from './tenant-audit-endpoint.js';

export interface AppDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tenants: TenantStore;
  readonly policy: Policy;
  readonly execute: RowExecutor;
  readonly maxRequestBodyBytes: number;
  readonly readiness: readonly ReadinessCheck[];
  readonly rateLimiter: RateLimiter;
  readonly rateLimits: { readonly defaultTenantPerMinute: number };
  readonly tenantTokens: TenantTokens;
  readonly notifications: NotificationService;
  /** Told about every finished request (operations console, tenant audit view). */
  readonly requestObservers?: readonly RequestObserver[];
  /** Serves GET /proxy/v1/audit; absent: no audit view. */
  readonly auditStore?: AuditStore;
  readonly now?: () => number;
}

/**
 * Failed credentials one client address (or one key id on `POST /oauth/token`) may present per
 * minute before its failures are answered 429. Keys are 256 random bits, so this is about floods,
 * not guessing; a valid credential is always honoured.
 */
const FAILED_CREDENTIALS_PER_MINUTE = 30;

/** Builds the express app; opens no socket and starts no timer (the composition root does). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The proxy parses query strings itself, against each route's allowlist.
  app.set('query parser', false);
  app.use(correlation());
  app.use(auditTrail(deps.logger, deps.metrics, deps.requestObservers, deps.now));
  app.use(requestGuard());
  app.use(healthEndpoints(deps.readiness));
  const clock = deps.now ? { now: deps.now } : {};
  // The token exchange authenticates with its own Basic credential, so it comes before `authenticate`.
  // Failed credentials per client address (and per key id on the token exchange), in this process.
  const failures = new FailureThrottle({ perMinute: FAILED_CREDENTIALS_PER_MINUTE, now: deps.now ?? Date.now });
  const throttled = (endpoint: 'api' | 'oauth-token') => () => deps.metrics.credentialsThrottled.inc({ endpoint });
  app.use(oauthTokenEndpoint({ tenants: () => deps.tenants.current(), issuer: deps.tenantTokens.issuer, failures, onThrottled: throttled('oauth-token'), ...clock }));
  app.use(authenticate({ tenants: () => deps.tenants.current(), tokens: deps.tenantTokens.verifier, failures, onThrottled: throttled('api'), ...clock }));
  // The tenant's own audit view is the proxy's route, not Genesys's: it is not in the policy table.
  if (deps.auditStore) app.use(tenantAuditEndpoint(deps.auditStore));
  app.use(routePolicy(deps.policy));
  app.use(
    rateLimit({
      limiter: deps.rateLimiter,
      defaultTenantPerMinute: deps.rateLimits.defaultTenantPerMinute,
      metrics: deps.metrics,
    }),
  );
  app.use(divisionNarrowing());
  app.use(
    routeHandler({ execute: deps.execute, maxRequestBodyBytes: deps.maxRequestBodyBytes, notifications: deps.notifications }),
  );
  app.use(errorHandler(deps.logger));
  return app;
}
