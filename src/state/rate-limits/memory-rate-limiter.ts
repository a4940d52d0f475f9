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
    const scale = (perMinute: number) => Math.max(1, perMinute / this.#divisor);
    const tenantKey = `tenant:${request.tenantId}`;
    const shareKey = `share:${request.tenantId}`;
    const tenant = gcra(this.#tats.get(tenantKey), now, scale(request.tenantPerMinute));
    if (!tenant.allowed) return refuse('tenant', tenant.retryAfterMs);
    const budget = scale(this.#limits.upstreamPerMinute);
    const global = gcra(this.#tats.get('upstream'), now, budget);
    const share = gcra(this.#tats.get(shareKey), now, scale(request.sharePerMinute));
    const reserve = Math.floor(budget * this.#limits.reserveFraction);
    const withinShare = share.allowed;
    if (!global.allowed || (!withinShare && global.remaining < reserve)) {
      return refuse('upstream', Math.max(global.retryAfterMs, withinShare ? 0 : share.retryAfterMs, 1));
    }
    this.#tats.set(tenantKey, tenant.tat);
    this.#tats.set('upstream', global.tat);
    if (withinShare) this.#tats.set(shareKey, share.tat);
    this.#evictOld(now);
    return { allowed: true };
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
