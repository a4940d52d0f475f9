export interface RateLimitRequest {
  readonly tenantId: string;
  /** The tenant's own limit per minute, charged once per tenant request. Absent: not charged. */
  readonly tenantPerMinute?: number;
  /**
   * The tenant's guaranteed share of the Genesys budget per minute, charged once per call made to
   * Genesys for the tenant. Absent: not a Genesys call.
   */
  readonly sharePerMinute?: number;
  /** The budget per minute for this call, when it is not the configured one (Genesys said otherwise). */
  readonly upstreamPerMinute?: number;
  /**
   * Whose Genesys budget the call spends: Genesys limits each OAuth client on its own, so a tenant
   * with its own client has a budget of its own (its client id). Absent: the proxy's client.
   */
  readonly budget?: string;
}

export type RateLimitDecision =
  | {
      readonly allowed: true;
      /** Calls left in the shared Genesys budget after this one, when a Genesys call was charged. */
      readonly budgetRemaining?: number;
    }
  | {
      readonly allowed: false;
      /** Which limit refused: the tenant's own, or the shared Genesys budget. */
      readonly limit: 'tenant' | 'upstream';
      readonly retryAfterSeconds: number;
    };

/**
 * Two limits apply: the tenant's own requests per minute, and the one Genesys budget every tenant
 * shares, counted in calls to Genesys (UPSTREAM_REQUESTS_PER_MINUTE, or what Genesys says it
 * allows). Each tenant has a guaranteed share of that budget; beyond it a tenant may borrow only
 * while a reserve is left, so a noisy tenant cannot take what a quiet one is owed. The proxy's
 * own calls (directory loads, logins) are spent from the budget without being refused.
 */
export interface RateLimiter {
  take(request: RateLimitRequest): Promise<RateLimitDecision>;
  /** One call the proxy made for itself: counted against the budget, never refused. */
  spend(upstreamPerMinute?: number): Promise<void>;
}

export interface FairShareLimits {
  /** The shared Genesys budget, calls per minute (all replicas together). */
  readonly upstreamPerMinute: number;
  /** Share of the budget kept back for tenants within their guaranteed share (0..1). */
  readonly reserveFraction: number;
}
