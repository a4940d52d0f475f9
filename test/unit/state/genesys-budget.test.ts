import { GenesysBudget } from '../../../src/state/rate-limits/genesys-budget.js';
import { MemoryRateLimiter } from '../../../src/state/rate-limits/memory-rate-limiter.js';

describe('GenesysBudget', () => {
  const setup = (perMinute: number) => {
    const clock = { now: 1_000_000 };
    const calls: string[] = [];
    const limiter = new MemoryRateLimiter({ upstreamPerMinute: perMinute, reserveFraction: 0.25 }, { now: () => clock.now });
    const budget = new GenesysBudget({
      limiter,
      configuredPerMinute: perMinute,
      shareOf: (_tenant, budgetPerMinute) => budgetPerMinute / 2,
      now: () => clock.now,
      onCall: (reason, tenant) => calls.push(`${reason}:${tenant ?? '-'}`),
    });
    return { clock, calls, budget };
  };
  const charges = async (budget: GenesysBudget, tenantId: string, count: number) => {
    let allowed = 0;
    for (let i = 0; i < count; i += 1) {
      try {
        await budget.charge({ kind: 'tenant', tenantId });
        allowed += 1;
      } catch (error) {
        expect(error).toMatchObject({ code: 'too.many.requests', status: 429 });
      }
    }
    return allowed;
  };

  it('charges every call: a tenant fanning out is limited by its calls, not its requests', async () => {
    const { budget, calls } = setup(60);
    expect(await charges(budget, 'fan', 100)).toBe(45); // 60 less the reserve kept for the others
    expect(await charges(budget, 'quiet', 15)).toBe(15);
    expect(calls.filter((call) => call === 'tenant:fan')).toHaveLength(45);
  });

  it('spends the proxy’s own calls without refusing them, and tenants then have less', async () => {
    const { budget, calls } = setup(60);
    for (let i = 0; i < 30; i += 1) await budget.charge({ kind: 'proxy', reason: 'directory' });
    expect(calls).toContain('directory:-');
    expect(await charges(budget, 'a', 60)).toBe(30);
  });

  it('follows what Genesys says it allows, and sends nothing more once its count is used up', async () => {
    const { budget, clock } = setup(60);
    budget.observe({ 'inin-ratelimit-allowed': '600', 'inin-ratelimit-count': '1', 'inin-ratelimit-reset': '60' });
    expect(budget.perMinute()).toBe(600);
    expect(await charges(budget, 'a', 200)).toBe(200);
    budget.observe({ 'inin-ratelimit-allowed': '600', 'inin-ratelimit-count': '600', 'inin-ratelimit-reset': '5' });
    await expect(budget.charge({ kind: 'tenant', tenantId: 'b' })).rejects.toMatchObject({ status: 429, retryAfter: 5 });
    clock.now += 5_000;
    expect(await charges(budget, 'b', 1)).toBe(1);
  });
});
