import type { RedisConnection } from '../redis/redis-connection.js';
import { refuse } from './memory-rate-limiter.js';
import type { FairShareLimits, RateLimitDecision, RateLimiter, RateLimitRequest } from './rate-limiter.js';

/**
 * The fair-share decision of MemoryRateLimiter, made atomically in Redis so that every replica
 * counts against the same buckets. Redis's own clock is used, so replicas with drifting clocks
 * still agree. KEYS: tenant, share, budget. ARGV: tenant/min, share/min, budget/min, reserve;
 * a limit of 0 is not charged (a tenant request charges its own limit, a Genesys call the budget).
 * Answers {allowed, refusing limit, retry ms, budget remaining (-1: not charged)}.
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
local tenantPerMinute = tonumber(ARGV[1])
local sharePerMinute = tonumber(ARGV[2])
local tenantTat = nil
if tenantPerMinute > 0 then
  local tenantOk, tat, _, tenantRetry = gcra(KEYS[1], tenantPerMinute)
  if tenantOk == 0 then return {0, 1, tenantRetry, -1} end
  tenantTat = tat
end
local budgetLeft = -1
if sharePerMinute > 0 then
  local budgetOk, budgetTat, left, budgetRetry = gcra(KEYS[3], tonumber(ARGV[3]))
  local shareOk, shareTat, _, shareRetry = gcra(KEYS[2], sharePerMinute)
  local reserve = math.floor(tonumber(ARGV[3]) * tonumber(ARGV[4]))
  if budgetOk == 0 or (shareOk == 0 and left < reserve) then
    local retry = budgetRetry
    if shareOk == 0 and shareRetry > retry then retry = shareRetry end
    return {0, 2, math.max(retry, 1), -1}
  end
  redis.call('SET', KEYS[3], tostring(budgetTat), 'PX', 61000)
  if shareOk == 1 then redis.call('SET', KEYS[2], tostring(shareTat), 'PX', 61000) end
  budgetLeft = left
end
if tenantTat then redis.call('SET', KEYS[1], tostring(tenantTat), 'PX', 61000) end
return {1, 0, 0, budgetLeft}
`;

/** A call the proxy made for itself: the budget bucket moves on, whatever it held. KEYS: budget. ARGV: budget/min. */
const SPEND_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
redis.call('SET', KEYS[1], tostring(tat + 60000 / tonumber(ARGV[1])), 'PX', 61000)
return 1
`;

/**
 * One script touches a tenant's buckets and the budget it spends, so every bucket is in one key
 * group (one Cluster slot): that slot is where all replicas meet.
 */
const RATE_LIMIT_GROUP = 'rate-limits';

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
      const [allowed, limit, retryAfterMs, budgetRemaining] = (await this.#redis.client.eval(
        FAIR_SHARE_SCRIPT,
        3,
        this.#redis.keys.inGroup(RATE_LIMIT_GROUP, `tenant:${request.tenantId}`),
        this.#redis.keys.inGroup(RATE_LIMIT_GROUP, `share:${request.tenantId}`),
        this.#budgetKey(request.budget),
        request.tenantPerMinute ?? 0,
        request.sharePerMinute ?? 0,
        request.upstreamPerMinute ?? this.#limits.upstreamPerMinute,
        this.#limits.reserveFraction,
      )) as [number, number, number, number];
      if (allowed === 1) return budgetRemaining >= 0 ? { allowed: true, budgetRemaining } : { allowed: true };
      return refuse(limit === 1 ? 'tenant' : 'upstream', retryAfterMs);
    } catch {
      return this.#degraded(request);
    }
  }

  async spend(upstreamPerMinute?: number): Promise<void> {
    const perMinute = upstreamPerMinute ?? this.#limits.upstreamPerMinute;
    if (!this.#redis.isUp) return this.#fallback.spend(perMinute);
    try {
      await this.#redis.client.eval(SPEND_SCRIPT, 1, this.#budgetKey(undefined), perMinute);
    } catch {
      await this.#fallback.spend(perMinute);
    }
  }

  /** Genesys limits each OAuth client on its own: a tenant client's calls spend a budget of their own. */
  #budgetKey(budget: string | undefined): string {
    return this.#redis.keys.inGroup(RATE_LIMIT_GROUP, budget === undefined ? 'upstream' : `upstream:${budget}`);
  }

  #degraded(request: RateLimitRequest): Promise<RateLimitDecision> {
    this.#onFallback();
    return this.#fallback.take(request);
  }
}
