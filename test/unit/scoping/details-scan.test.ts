import fc from 'fast-check';
import type { UpstreamPort } from '../../../src/scoping/row-strategy.js';
import type { GatewayError } from '../../../src/errors.js';
import { CONCURRENT_CALLS } from '../../../src/scoping/filters/analytics-upstream.js';
import { DETAILS_SCAN_READ_MULTIPLE, executeConversationDetails, OVER_READ_BOUND, OVER_VISIBLE_LIMIT } from '../../../src/scoping/filters/details-scan.js';
import { VisibleListCache } from '../../../src/state/details/visible-list-cache.js';
import { redactForeignParticipants } from '../../../src/scoping/filters/participants.js';
import { entry, factsOf, scopeOf } from '../../support/scoping.js';

const interval = '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z';
const facts = factsOf([entry('qa', 'A'), entry('qc', 'C')], [entry('ua', 'A'), entry('uc', 'C')]);
const conversation = (n: number, ...divisionIds: string[]) => ({ conversationId: `c${n}`, divisionIds, participants: [] });

/** Genesys with `conversations`, paged as it pages, counting the calls it answers. */
function upstreamWith(conversations: readonly unknown[]): UpstreamPort & { calls: number } {
  const fake = {
    calls: 0,
    async call({ body }: { body?: unknown }) {
      fake.calls += 1;
      const { pageSize, pageNumber } = (body as { paging: { pageSize: number; pageNumber: number } }).paging;
      return { status: 200, json: { conversations: conversations.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), totalHits: conversations.length } };
    },
  };
  return fake;
}

const run = (upstream: UpstreamPort, paging: { pageSize?: number; pageNumber?: number } | undefined, options: { cache?: VisibleListCache; max?: number; tenant?: string } = {}) =>
  executeConversationDetails(
    { scope: { ...scopeOf('A', 'B'), tenantId: options.tenant ?? 't' }, facts, query: new Map(), params: {}, body: { interval, ...(paging ? { paging } : {}) } },
    upstream,
    { maxConversations: options.max ?? 10_000, cache: options.cache ?? new VisibleListCache(60_000, 100_000, () => 0) },
  );

const idsOf = (result: Awaited<ReturnType<typeof run>>) => (result.kind === 'ok' ? (result.body as { conversations: { conversationId: string }[] }).conversations.map((c) => c.conversationId) : []);
const totalOf = (result: Awaited<ReturnType<typeof run>>) => (result.kind === 'ok' ? (result.body as { totalHits: number }).totalHits : -1);

describe('exact details paging', () => {
  it('pages through exactly the visible conversations: full pages except the last, totalHits the visible count on every page and past the end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.subarray(['A', 'B', 'C'], { minLength: 1 }), { maxLength: 260 }), fc.integer({ min: 1, max: 30 }), async (divisionLists, pageSize) => {
        const all = divisionLists.map((divisions, n) => conversation(n, ...divisions));
        const visible = all.filter((c) => c.divisionIds.every((d) => d !== 'C')).map((c) => c.conversationId);
        const upstream = upstreamWith(all);
        const cache = new VisibleListCache(60_000, 100_000, () => 0);
        const seen: string[] = [];
        const pages = Math.ceil(visible.length / pageSize);
        for (let pageNumber = 1; pageNumber <= pages + 1; pageNumber += 1) {
          const result = await run(upstream, { pageSize, pageNumber }, { cache });
          expect(totalOf(result)).toBe(visible.length);
          expect(idsOf(result)).toHaveLength(pageNumber < pages ? pageSize : pageNumber === pages ? visible.length - (pages - 1) * pageSize : 0);
          seen.push(...idsOf(result));
        }
        expect(seen).toEqual(visible);
        // One scan, 100 a page, for all the pages.
        expect(upstream.calls).toBe(Math.max(1, Math.ceil(all.length / 100)));
      }),
      { seed: 31, numRuns: 60 },
    );
  });

  it('applies Genesys’s defaults: 25 a page, the first page', async () => {
    const all = Array.from({ length: 30 }, (_, n) => conversation(n, 'A'));
    expect(idsOf(await run(upstreamWith(all), undefined))).toEqual(all.slice(0, 25).map((c) => c.conversationId));
  });

  it('refuses a query selecting more of the tenant’s conversations than the limit, once the pages read show it', async () => {
    const upstream = upstreamWith(Array.from({ length: 2_000 }, (_, n) => conversation(n, 'A')));
    await expect(run(upstream, { pageSize: 10 }, { max: 200 })).rejects.toMatchObject({ code: 'body.invalid', message: expect.stringContaining('narrow the interval'), audit: OVER_VISIBLE_LIMIT });
    // The first page, then one batch of pages: 500 read, 201 would have been enough to know.
    expect(upstream.calls).toBe(1 + CONCURRENT_CALLS);
  });

  it('reads at most DETAILS_SCAN_READ_MULTIPLE times the limit: past it, refused after one call, audited apart', async () => {
    const shared = Array.from({ length: 200 * DETAILS_SCAN_READ_MULTIPLE + 1 }, (_, n) => conversation(n, 'A', 'C'));
    const upstream = upstreamWith(shared);
    await expect(run(upstream, { pageSize: 10 }, { max: 200 })).rejects.toMatchObject({ code: 'body.invalid', message: expect.stringContaining('narrow the interval'), audit: OVER_READ_BOUND });
    expect(upstream.calls).toBe(1);
  });

  it('answers the same, refusal or page, whatever other tenants’ conversations the query also selects, within the read bound', async () => {
    const max = 100;
    const outcome = (conversations: readonly unknown[], paging: { pageSize: number; pageNumber: number }) =>
      run(upstreamWith(conversations), paging, { max }).then(
        (result) => ({ status: 200, body: result.kind === 'ok' ? result.body : result.kind }),
        (error: GatewayError) => ({ status: error.status, body: { code: error.code, message: error.message } }),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: max + 20 }),
        fc.integer({ min: 0, max: max * DETAILS_SCAN_READ_MULTIPLE - max - 20 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2_147_483_646 }),
        async (ownCount, foreignCount, pageSize, pageNumber, seed) => {
          const own = Array.from({ length: ownCount }, (_, n) => conversation(n, n % 2 ? 'A' : 'B'));
          // Foreign conversations among the own ones, where the seed puts them: shared with division C, or C's alone.
          const withForeign: unknown[] = [...own];
          let random = seed;
          for (let n = 0; n < foreignCount; n += 1) {
            random = (random * 48_271) % 2_147_483_647;
            withForeign.splice(random % (withForeign.length + 1), 0, random % 3 ? conversation(10_000 + n, 'A', 'C') : conversation(10_000 + n, 'C'));
          }
          const paging = { pageSize, pageNumber };
          expect(await outcome(withForeign, paging)).toEqual(await outcome(own, paging));
        },
      ),
      { seed: 7, numRuns: 40 },
    );
  });

  it('gives the same page when many conversations shared with another tenant’s division are removed from the org', async () => {
    const own = Array.from({ length: 60 }, (_, n) => conversation(n, 'A'));
    const sharedWithC = Array.from({ length: 900 }, (_, n) => conversation(1_000 + n, 'A', 'C'));
    const small = await run(upstreamWith(own), { pageSize: 25, pageNumber: 3 }, { max: 100 });
    const large = await run(upstreamWith([...sharedWithC, ...own]), { pageSize: 25, pageNumber: 3 }, { max: 100 });
    expect(large).toEqual(small);
    expect(totalOf(large)).toBe(60);
    expect(idsOf(large)).toHaveLength(10);
  });

  it('keeps a tenant’s list for its query until the clock passes the time to live, never for another tenant', async () => {
    let now = 0;
    const cache = new VisibleListCache(1_000, 100_000, () => now);
    const upstream = upstreamWith([conversation(1, 'A')]);
    await run(upstream, { pageSize: 1 }, { cache });
    await run(upstream, { pageSize: 1, pageNumber: 2 }, { cache });
    expect(upstream.calls).toBe(1);
    await run(upstream, { pageSize: 1 }, { cache, tenant: 'other' });
    expect(upstream.calls).toBe(2);
    now = 1_000;
    await run(upstream, { pageSize: 1 }, { cache });
    expect(upstream.calls).toBe(3);
  });

  it('holds a bounded number of conversations, dropping the oldest lists', () => {
    const cache = new VisibleListCache(60_000, 3, () => 0);
    cache.set('a', [1, 2]);
    cache.set('b', [3]);
    cache.set('c', [4, 5]);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual([3]);
    expect(cache.get('c')).toEqual([4, 5]);
    cache.set('huge', [1, 2, 3, 4]);
    expect(cache.get('huge')).toBeUndefined();
  });
});

describe('participants of other tenants in a visible conversation', () => {
  it('are redacted to their role, sessions, metrics and segment times; own participants and customers stay whole', () => {
    const foreign = {
      participantId: 'p2',
      participantName: 'Agent of C',
      purpose: 'agent',
      userId: 'uc',
      externalContactId: 'x',
      teamId: 't',
      sessions: [{ sessionId: 's', mediaType: 'voice', direction: 'inbound', ani: 'tel:1', dnis: 'tel:2', addressFrom: 'a', metrics: [{ name: 'tTalk', value: 1 }], segments: [{ segmentStart: 's', segmentEnd: 'e', segmentType: 'interact', queueId: 'qa', wrapUpCode: 'w' }] }],
    };
    const own = { participantId: 'p1', participantName: 'Agent of A', purpose: 'agent', userId: 'ua', sessions: [] };
    const customer = { participantId: 'p0', participantName: 'Customer', purpose: 'customer', sessions: [{ sessionId: 'c', ani: 'tel:9' }] };
    const redacted = redactForeignParticipants(
      { conversationId: 'c1', divisionIds: ['A'], participants: [customer, own, foreign], evaluations: [{ userId: 'ua' }, { userId: 'uc' }, { evaluatorId: 'uc' }], surveys: [{ queueId: 'qc' }, { queueId: 'qa' }] },
      scopeOf('A'),
      facts,
    );
    expect(redacted).toEqual({
      conversationId: 'c1',
      divisionIds: ['A'],
      participants: [
        customer,
        own,
        { participantId: 'p2', purpose: 'agent', sessions: [{ sessionId: 's', mediaType: 'voice', direction: 'inbound', metrics: [{ name: 'tTalk', value: 1 }], segments: [{ segmentStart: 's', segmentEnd: 'e', segmentType: 'interact', queueId: 'qa' }] }] },
      ],
      evaluations: [{ userId: 'ua' }],
      surveys: [{ queueId: 'qa' }],
    });
  });
});
