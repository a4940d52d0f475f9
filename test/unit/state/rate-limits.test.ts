import { gcra } from '../../../src/state/rate-limits/gcra.js';
import { MemoryRateLimiter } from '../../../src/state/rate-limits/memory-rate-limiter.js';

describe('gcra', () => {
  it('allows a full minute’s worth at once, then one per interval', () => {
    let tat: number | undefined;
    const now = 1_000_000;
    for (let i = 0; i < 6; i++) {
      const result = gcra(tat, now, 6);
      expect(result.allowed).toBe(true);
      expect(result.remaining).toBe(5 - i);
      tat = result.tat;
    }
    const refused = gcra(tat, now, 6);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 10_000 });
    expect(gcra(tat, now + 10_000, 6).allowed).toBe(true);
  });
});

describe('MemoryRateLimiter', () => {
  const clock = { now: 1_000_000 };
  const take = (limiter: MemoryRateLimiter, tenantId: string, tenantPerMinute = 1000, sharePerMinute = 10) =>
    limiter.take({ tenantId, tenantPerMinute, sharePerMinute });

  it('refuses a tenant over its own limit with a Retry-After, and leaves others alone', async () => {
    const limiter = new MemoryRateLimiter({ upstreamPerMinute: 1000, reserveFraction: 0.25 }, { now: () => clock.now });
    for (let i = 0; i < 3; i++) expect(await take(limiter, 'a', 3)).toMatchObject({ allowed: true });
    expect(await take(limiter, 'a', 3)).toEqual({ allowed: false, limit: 'tenant', retryAfterSeconds: 20 });
    expect(await take(limiter, 'b', 3)).toMatchObject({ allowed: true });
  });

  it('lets a noisy tenant borrow the idle budget but never the reserve a quiet tenant is owed', async () => {
    const limiter = new MemoryRateLimiter({ upstreamPerMinute: 40, reserveFraction: 0.25 }, { now: () => clock.now });
    let noisyAllowed = 0;
    for (let i = 0; i < 100; i++) if ((await take(limiter, 'noisy')).allowed) noisyAllowed += 1;
    expect(noisyAllowed).toBe(30); // 40 minus the reserve of 10
    for (let i = 0; i < 10; i++) expect(await take(limiter, 'quiet')).toMatchObject({ allowed: true });
    expect(await take(limiter, 'quiet')).toMatchObject({ allowed: false, limit: 'upstream' });
  });

  it('keeps one Genesys budget per client: a tenant with its own client is not refused when the proxy’s budget is spent', async () => {
    const limiter = new MemoryRateLimiter({ upstreamPerMinute: 40, reserveFraction: 0 }, { now: () => clock.now });
    for (let i = 0; i < 40; i++) expect((await take(limiter, 'shared', 1000, 40)).allowed).toBe(true);
    expect(await take(limiter, 'shared', 1000, 40)).toMatchObject({ allowed: false, limit: 'upstream' });
    for (let i = 0; i < 40; i++) expect(await limiter.take({ tenantId: 'own', tenantPerMinute: 1000, sharePerMinute: 40, budget: 'bpo-own' })).toMatchObject({ allowed: true });
    expect(await limiter.take({ tenantId: 'own', tenantPerMinute: 1000, sharePerMinute: 40, budget: 'bpo-own' })).toMatchObject({ allowed: false, limit: 'upstream' });
  });

  it('divides every limit by the replica count when used as a fallback', async () => {
    const limiter = new MemoryRateLimiter({ upstreamPerMinute: 1000, reserveFraction: 0.25 }, { divisor: 2, now: () => clock.now });
    for (let i = 0; i < 5; i++) expect((await take(limiter, 'a', 10)).allowed).toBe(true);
    expect((await take(limiter, 'a', 10)).allowed).toBe(false);
  });
});
