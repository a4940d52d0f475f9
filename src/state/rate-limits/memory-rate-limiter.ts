import { gcra } from './gcra.js';
import type { FairShareLimits, RateLimitDecision, RateLimiter, RateLimitRequest } from './rate-limiter.js';

/**
 * The rate limiter of one process: exact for a single replica, and the fallback of the Redis
 * limiter when Redis is down, with every limit divided by the replica count (never unlimited).
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #tats = new Map<string, number>();
  readonly #limits: FairShareLimits;
  readonly #divisor: number;
  readonly #now: () => number;

  constructor(limits: FairShareLimits, options: { divisor?: number; now?: () => number } = {}) {
    this.#limits = limits;
    this.#divisor = Math.max(1, options.divisor ?? 1);
    this.#now = options.now ?? Date.now;
  }

  async take(request: RateLimitRequest): Promise<RateLimitDecision> {
    const now = this.#now();
    const tenantKey = `tenant:${request.tenantId}`;
    const shareKey = `share:${request.tenantId}`;
    const writes: [string, number][] = [];
    if (request.tenantPerMinute !== undefined) {
      const tenant = gcra(this.#tats.get(tenantKey), now, this.#scale(request.tenantPerMinute));
      if (!tenant.allowed) return refuse('tenant', tenant.retryAfterMs);
      writes.push([tenantKey, tenant.tat]);
    }
    let budgetRemaining: number | undefined;
    if (request.sharePerMinute !== undefined) {
      const budget = this.#scale(request.upstreamPerMinute ?? this.#limits.upstreamPerMinute);
      const budgetKey = request.budget === undefined ? 'upstream' : `upstream:${request.budget}`;
      const global = gcra(this.#tats.get(budgetKey), now, budget);
      const share = gcra(this.#tats.get(shareKey), now, this.#scale(request.sharePerMinute));
      const reserve = Math.floor(budget * this.#limits.reserveFraction);
      if (!global.allowed || (!share.allowed && global.remaining < reserve)) {
        return refuse('upstream', Math.max(global.retryAfterMs, share.allowed ? 0 : share.retryAfterMs, 1));
      }
      writes.push([budgetKey, global.tat]);
      if (share.allowed) writes.push([shareKey, share.tat]);
      budgetRemaining = global.remaining;
    }
    for (const [key, tat] of writes) this.#tats.set(key, tat);
    this.#evictOld(now);
    return budgetRemaining === undefined ? { allowed: true } : { allowed: true, budgetRemaining };
  }

  async spend(upstreamPerMinute?: number): Promise<void> {
    const now = this.#now();
    const budget = this.#scale(upstreamPerMinute ?? this.#limits.upstreamPerMinute);
    const tat = Math.max(this.#tats.get('upstream') ?? now, now);
    this.#tats.set('upstream', tat + 60_000 / budget);
  }

  #scale(perMinute: number): number {
    return Math.max(1, perMinute / this.#divisor);
  }

  #evictOld(now: number): void {
    // A theoretical arrival time in the past is an idle key: forgetting it changes nothing.
    if (this.#tats.size < 10_000) return;
    for (const [key, tat] of this.#tats) if (tat < now) this.#tats.delete(key);
  }
}

export function refuse(limit: 'tenant' | 'upstream', retryAfterMs: number): RateLimitDecision {
  return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
