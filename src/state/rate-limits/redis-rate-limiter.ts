import type { RedisConnection } from '../redis/redis-connection.js';
import { refuse } from './memory-rate-limiter.js';
import type { FairShareLimits, RateLimitDecision, RateLimiter, RateLimitRequest } from './rate-limiter.js';

/**
 * The fair-share decision of MemoryRateLimiter, made atomically in Redis so that every replica
 * counts against the same buckets. Redis's own clock is used, so replicas with drifting clocks
 * still agree. KEYS: tenant, share, budget. ARGV: tenant/min, share/min, budget/min, reserve.
 */
const FAIR_SHARE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function gcra(key, perMinute)
  local interval = 60000 / perMinute
  local tat = math.max(tonumber(redis.call('GET', key)) or now, now)
  local used = tat + interval - now
  if used > 60000 then return 0, tat, 0, math.ceil(used - 60000) end
  return 1, tat + interval, math.floor((60000 - used) / interval), 0
end
local tenantOk, tenantTat, _, tenantRetry = gcra(KEYS[1], tonumber(ARGV[1]))
if tenantOk == 0 then return {0, 1, tenantRetry} end
local budgetOk, budgetTat, budgetLeft, budgetRetry = gcra(KEYS[3], tonumber(ARGV[3]))
local shareOk, shareTat, _, shareRetry = gcra(KEYS[2], tonumber(ARGV[2]))
local reserve = math.floor(tonumber(ARGV[3]) * tonumber(ARGV[4]))
if budgetOk == 0 or (shareOk == 0 and budgetLeft < reserve) then
  local retry = budgetRetry
  if shareOk == 0 and shareRetry > retry then retry = shareRetry end
  return {0, 2, math.max(retry, 1)}
end
redis.call('SET', KEYS[1], tostring(tenantTat), 'PX', 61000)
redis.call('SET', KEYS[3], tostring(budgetTat), 'PX', 61000)
if shareOk == 1 then redis.call('SET', KEYS[2], tostring(shareTat), 'PX', 61000) end
return {1, 0, 0}
`;

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: RedisConnection;
  readonly #limits: FairShareLimits;
  readonly #fallback: RateLimiter;
  readonly #onFallback: () => void;

  constructor(redis: RedisConnection, limits: FairShareLimits, fallback: RateLimiter, onFallback: () => void = () => undefined) {
    this.#redis = redis;
    this.#limits = limits;
    this.#fallback = fallback;
    this.#onFallback = onFallback;
  }

  async take(request: RateLimitRequest): Promise<RateLimitDecision> {
    if (!this.#redis.isUp) return this.#degraded(request);
    try {
      const [allowed, limit, retryAfterMs] = (await this.#redis.client.eval(
        FAIR_SHARE_SCRIPT,
        3,
        this.#redis.key(`rl:tenant:${request.tenantId}`),
        this.#redis.key(`rl:share:${request.tenantId}`),
        this.#redis.key('rl:upstream'),
        request.tenantPerMinute,
        request.sharePerMinute,
        this.#limits.upstreamPerMinute,
        this.#limits.reserveFraction,
      )) as [number, number, number];
      if (allowed === 1) return { allowed: true };
      return refuse(limit === 1 ? 'tenant' : 'upstream', retryAfterMs);
    } catch {
      return this.#degraded(request);
    }
  }

  #degraded(request: RateLimitRequest): Promise<RateLimitDecision> {
    this.#onFallback();
    return this.#fallback.take(request);
  }
}
