import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/logging/logger.js';
import { MemoryRateLimiter } from '../../src/state/rate-limits/memory-rate-limiter.js';
import { RedisRateLimiter } from '../../src/state/rate-limits/redis-rate-limiter.js';
import { RedisConnection } from '../../src/state/redis/redis-connection.js';
import { eventually } from '../support/wait.js';
import { testRedisUrl } from '../support/redis-server.js';

describe('the Redis rate limiter (a tenant request and a Genesys call charged apart)', () => {
  let redis: RedisConnection;
  let fallbacks = 0;
  let limiter: RedisRateLimiter;
  beforeAll(async () => {
    redis = new RedisConnection({ target: { kind: 'standalone', url: testRedisUrl() }, keyPrefix: `gdp-test:${randomUUID()}:`, commandTimeoutMs: 500, logger: createLogger('silent') });
    await eventually(() => expect(redis.isUp).toBe(true), { timeoutMs: 5000, intervalMs: 20 });
    const limits = { upstreamPerMinute: 20, reserveFraction: 0.25 };
    limiter = new RedisRateLimiter(redis, limits, new MemoryRateLimiter(limits), () => (fallbacks += 1));
  });
  afterAll(() => redis.close());

  it('charges the tenant limit without touching the budget, the budget per call, and spends the proxy’s calls unrefused', async () => {
    for (let i = 0; i < 5; i += 1) expect(await limiter.take({ tenantId: 'a', tenantPerMinute: 5 })).toEqual({ allowed: true });
    expect(await limiter.take({ tenantId: 'a', tenantPerMinute: 5 })).toMatchObject({ allowed: false, limit: 'tenant' });
    // The tenant's requests left the whole budget: its calls get the share (10), then borrow down to the reserve (5).
    let calls = 0;
    for (let i = 0; i < 30; i += 1) if ((await limiter.take({ tenantId: 'a', sharePerMinute: 10 })).allowed) calls += 1;
    expect(calls).toBe(15);
    expect(await limiter.take({ tenantId: 'b', sharePerMinute: 10 })).toMatchObject({ allowed: true, budgetRemaining: expect.any(Number) });
    for (let i = 0; i < 10; i += 1) await limiter.spend();
    expect(await limiter.take({ tenantId: 'b', sharePerMinute: 10 })).toMatchObject({ allowed: false, limit: 'upstream' });
    expect(fallbacks).toBe(0);
  });
});
