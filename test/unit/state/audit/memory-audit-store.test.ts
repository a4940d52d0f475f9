import fc from 'fast-check';
import { compareEntryIds, type TenantAuditEntry } from '../../../../src/tenant-audit/audit-store.js';
import { MemoryAuditStore } from '../../../../src/state/audit/memory-audit-store.js';

const entry = (at: number, correlationId = `c-${at}`): Omit<TenantAuditEntry, 'id'> => ({
  at,
  method: 'GET',
  route: '/api/v2/routing/queues',
  status: 200,
  entitiesReturned: 1,
  genesysCalls: 1,
  correlationId,
});

async function allPages(store: MemoryAuditStore, tenant: string, limit: number): Promise<TenantAuditEntry[]> {
  const seen: TenantAuditEntry[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.page(tenant, { limit, ...(before ? { before } : {}) });
    seen.push(...page);
    if (page.length < limit) return seen;
    before = page.at(-1)!.id;
  }
}

describe('MemoryAuditStore', () => {
  it('pages through every entry of a tenant exactly once, newest first, whatever the page size and clock', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 0, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), async (times, limit) => {
        const store = new MemoryAuditStore({ now: () => 100, maxAgeMs: 1_000_000 });
        for (const [i, at] of times.entries()) await store.append(i % 3 === 0 ? 'other' : 'mine', entry(at, `c-${i}`));
        const expected = times.flatMap((_, i) => (i % 3 === 0 ? [] : [`c-${i}`])).reverse();
        const paged = await allPages(store, 'mine', limit);
        expect(paged.map((e) => e.correlationId)).toEqual(expected);
        for (let i = 1; i < paged.length; i += 1) expect(compareEntryIds(paged[i]!.id, paged[i - 1]!.id)).toBeLessThan(0);
      }),
    );
  });

  it('keeps a bounded number of entries per tenant and never shows entries past their age', async () => {
    let now = 10_000;
    const store = new MemoryAuditStore({ maxEntries: 3, maxAgeMs: 5_000, now: () => now });
    for (const at of [6_000, 7_000, 8_000, 9_000]) await store.append('t', entry(at));
    expect((await store.page('t', { limit: 10 })).map((e) => e.at)).toEqual([9_000, 8_000, 7_000]);
    now = 13_500;
    expect((await store.page('t', { limit: 10 })).map((e) => e.at)).toEqual([9_000]);
    expect(await store.page('nobody', { limit: 10 })).toEqual([]);
  });

  it('filters by time, inclusive at both ends', async () => {
    const store = new MemoryAuditStore({ now: () => 10_000 });
    for (const at of [1_000, 2_000, 3_000, 4_000]) await store.append('t', entry(at));
    expect((await store.page('t', { limit: 10, since: 2_000, until: 3_000 })).map((e) => e.at)).toEqual([3_000, 2_000]);
  });
});
