export interface RateLimitRequest {
  readonly tenantId: string;
  /** The tenant's own limit per minute (its file, or the default). */
  readonly tenantPerMinute: number;
  /** The tenant's guaranteed share of the Genesys budget per minute. */
  readonly sharePerMinute: number;
}

export type RateLimitDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** Which limit refused: the tenant's own, or the shared Genesys budget. */
      readonly limit: 'tenant' | 'upstream';
      readonly retryAfterSeconds: number;
    };

/**
 * Decides whether a tenant request may go ahead. Two limits apply: the tenant's own requests per
 * minute, and the one Genesys budget every tenant shares (UPSTREAM_REQUESTS_PER_MINUTE). Each
 * tenant has a guaranteed share of that budget; beyond it a tenant may borrow only while a
 * reserve is left, so a noisy tenant cannot take what a quiet one is owed.
 */
export interface RateLimiter {
  take(request: RateLimitRequest): Promise<RateLimitDecision>;
}

export interface FairShareLimits {
  /** The shared Genesys budget, requests per minute (all replicas together). */
  readonly upstreamPerMinute: number;
  /** Share of the budget kept back for tenants within their guaranteed share (0..1). */
  readonly reserveFraction: number;
}
