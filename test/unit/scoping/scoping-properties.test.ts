import fc from 'fast-check';
import { planConversationAggregates } from '../../../src/scoping/filters/aggregates.js';
import type { Filter } from '../../../src/scoping/filters/analytics-filter.js';
import { scopeConversationList } from '../../../src/scoping/filters/conversations.js';
import { scopeDivisionListing } from '../../../src/scoping/filters/divisions.js';
import { scopeQueueMemberListing } from '../../../src/scoping/filters/queues.js';
import { planQueueObservations } from '../../../src/scoping/filters/queue-observations.js';
import { planUsersPage, scopeUsersPage } from '../../../src/scoping/filters/users.js';
import type { DirectoryEntry } from '../../../src/scoping/division-index.js';
import type { ResponseScoper, ScopedResponse, ScopeFacts } from '../../../src/scoping/scope.js';
import { matches } from '../../support/filter-evaluator.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

/**
 * For random orgs, tenants and upstream answers (including answers that ignore the proxy's
 * filters): nothing outside the tenant's divisions survives, scoping twice equals once, and a
 * tenant with more divisions sees a superset.
 */
const DIVISIONS = ['A', 'B', 'C', 'D', 'E'];
const divisionArb = fc.constantFrom(...DIVISIONS);
const tenantArb = fc.subarray(DIVISIONS, { minLength: 1 });

interface Org {
  readonly queues: DirectoryEntry[];
  readonly users: DirectoryEntry[];
  readonly facts: ScopeFacts;
}
const orgArb: fc.Arbitrary<Org> = fc
  .record({
    queues: fc.uniqueArray(fc.record({ n: fc.nat(999), division: divisionArb }), { selector: (q) => q.n, maxLength: 30 }),
    users: fc.uniqueArray(fc.record({ n: fc.nat(999), division: divisionArb, active: fc.boolean() }), { selector: (u) => u.n, maxLength: 30 }),
  })
  .map(({ queues, users }) => {
    const queueEntries = queues.map((q) => entry(`q${q.n}`, q.division, `queue ${q.n}`));
    const userEntries = users.map((u) => entry(`u${u.n}`, u.division, `user ${u.n}`, u.active ? 'active' : 'inactive'));
    return { queues: queueEntries, users: userEntries, facts: factsOf(queueEntries, userEntries) };
  });

const ids = (result: ScopedResponse, field: string, id: (item: Record<string, unknown>) => unknown): unknown[] =>
  result.kind === 'ok' ? ((result.body as Record<string, Record<string, unknown>[]>)[field] ?? []).map(id) : [];

function checkFamily<T>(
  name: string,
  answerArb: (org: Org) => fc.Arbitrary<T>,
  scoper: ResponseScoper,
  field: string,
  id: (item: Record<string, unknown>) => unknown,
  isOwn: (item: Record<string, unknown>, org: Org, tenant: readonly string[]) => boolean,
): void {
  describe(name, () => {
    const caseArb = orgArb.chain((org) => fc.tuple(fc.constant(org), answerArb(org), tenantArb, tenantArb));

    it('lets nothing outside the tenant’s divisions through, and scoping twice equals once', () => {
      fc.assert(
        fc.property(caseArb, ([org, answer, tenant]) => {
          const context = contextOf(scopeOf(...tenant), [], { facts: org.facts });
          const once = scoper(answer, context);
          if (once.kind !== 'ok') return;
          for (const item of (once.body as Record<string, Record<string, unknown>[]>)[field] ?? []) expect(isOwn(item, org, tenant)).toBe(true);
          expect(scoper(once.body, context)).toEqual({ ...once, removed: 0 });
        }),
        { seed: 1123, numRuns: 300 },
      );
    });

    it('shows a tenant with more divisions a superset', () => {
      fc.assert(
        fc.property(caseArb, ([org, answer, small, extra]) => {
          const large = [...new Set([...small, ...extra])];
          const seenSmall = ids(scoper(answer, contextOf(scopeOf(...small), [], { facts: org.facts })), field, id);
          const seenLarge = ids(scoper(answer, contextOf(scopeOf(...large), [], { facts: org.facts })), field, id);
          for (const seen of seenSmall) expect(seenLarge).toContainEqual(seen);
        }),
        { seed: 2411, numRuns: 300 },
      );
    });
  });
}

const ownerIn = (index: readonly DirectoryEntry[], id: unknown) => index.find((e) => e.id === id)?.divisionId;

checkFamily(
  'queue members',
  (org) =>
    fc.array(fc.record({ user: fc.constantFrom(...org.users.map((u) => u.id), 'unknown'), embed: fc.option(divisionArb, { nil: undefined }) }), { maxLength: 20 }).map((rows) => ({
      entities: rows.map((row, i) => ({ id: `m${i}`, user: { id: row.user, ...(row.embed ? { division: { id: row.embed } } : {}) } })),
      pageSize: 25,
      pageNumber: 1,
    })),
  scopeQueueMemberListing,
  'entities',
  (member) => member['id'],
  (member, org, tenant) => {
    const user = member['user'] as { id: string; division?: { id: string } };
    return tenant.includes(user.division?.id ?? ownerIn(org.users, user.id) ?? '');
  },
);

checkFamily(
  'divisions',
  () => fc.array(fc.oneof(divisionArb, fc.constant('HOME')), { maxLength: 10 }).map((list) => ({ entities: list.map((id) => ({ id, name: id })), pageSize: 25, pageNumber: 1, total: list.length, pageCount: 1 })),
  scopeDivisionListing,
  'entities',
  (division) => division['id'],
  (division, _org, tenant) => tenant.includes(division['id'] as string),
);

checkFamily(
  'conversations',
  () =>
    fc.array(fc.record({ id: fc.nat(99), divisions: fc.subarray(DIVISIONS) }), { maxLength: 20 }).map((rows) => ({
      conversations: rows.map((row) => ({ conversationId: `c${row.id}`, divisionIds: row.divisions })),
      totalHits: rows.length + 5,
    })),
  scopeConversationList,
  'conversations',
  (conversation) => conversation['conversationId'],
  (conversation, _org, tenant) => (conversation['divisionIds'] as string[]).every((id) => tenant.includes(id)),
);

checkFamily(
  'conversation aggregates',
  (org) =>
    fc
      .array(fc.oneof(fc.record({ queueId: fc.constantFrom(...org.queues.map((q) => q.id), 'unknown') }), fc.record({ mediaType: fc.constant('voice') })), { maxLength: 20 })
      .map((groups) => ({ results: groups.map((group) => ({ group, data: [{ interval: 'i', metrics: [{ metric: 'nOffered', stats: { count: 1 } }] }] })) })),
  (body, context) => {
    const combined = planConversationAggregates({ interval: 'a/b', metrics: ['nOffered'], groupBy: ['queueId'] }, context).combine([body]);
    return { kind: 'ok', body: combined, kept: combined.results.length, removed: 0 };
  },
  'results',
  (result) => result['group'],
  (result, org, tenant) => tenant.includes(ownerIn(org.queues, (result['group'] as { queueId: string }).queueId) ?? ''),
);

checkFamily(
  'queue observations',
  (org) =>
    fc
      .array(fc.record({ queueId: fc.constantFrom(...org.queues.map((q) => q.id), 'unknown'), mediaType: fc.constantFrom('voice', 'chat') }), { maxLength: 20 })
      .map((groups) => ({ results: groups.map((group) => ({ group, data: [] })) })),
  (body, context) => {
    const combined = planQueueObservations({ filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting'] }, context).combine([body]);
    return { kind: 'ok', body: combined, kept: combined.results.length, removed: 0 };
  },
  'results',
  (result) => result['group'],
  (result, org, tenant) => tenant.includes(ownerIn(org.queues, (result['group'] as { queueId: string }).queueId) ?? ''),
);

checkFamily(
  'users pages',
  (org) =>
    fc.subarray(org.users).map((users) => ({ entities: users.map((u) => ({ id: u.id, division: { id: u.divisionId } })), pageSize: 100, pageNumber: 1, total: 999 })),
  (body, context) => scopeUsersPage(body, { ...context, path: '/api/v2/users', query: new Map([['pageSize', ['100']], ['state', ['any']]]) }),
  'entities',
  (user) => user['id'],
  (user, org, tenant) => tenant.includes(ownerIn(org.users, user['id']) ?? ''),
);

describe('whole requests against a careless upstream', () => {
  /** An upstream that applies the filter, or ignores it (answering for the whole org). */
  const observationUpstream = (org: Org, ignoresFilter: boolean) => (body: { filter: Filter }) => ({
    results: org.queues.filter((q) => ignoresFilter || matches(body.filter, { queueId: [q.id], mediaType: ['voice'] })).map((q) => ({ group: { queueId: q.id, mediaType: 'voice' }, data: [] })),
  });

  function observedQueues(org: Org, tenant: readonly string[], filter: Filter, ignoresFilter: boolean): string[] {
    const scope = scopeOf(...tenant);
    const plan = planQueueObservations({ filter, metrics: ['oWaiting'] }, inputOf(scope, { facts: org.facts }));
    const answers = plan.bodies.map((body) => observationUpstream(org, ignoresFilter)(body as { filter: Filter }));
    return (plan.combine(answers).results as { group: { queueId: string } }[]).map((result) => result.group.queueId);
  }

  it('queue observations return exactly the tenant’s queues, whatever the upstream does', () => {
    fc.assert(
      fc.property(orgArb, tenantArb, tenantArb, fc.boolean(), (org, small, extra, ignoresFilter) => {
        const filter: Filter = { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] };
        const seen = observedQueues(org, small, filter, ignoresFilter);
        expect([...seen].sort()).toEqual(org.queues.filter((q) => small.includes(q.divisionId)).map((q) => q.id).sort());
        const large = observedQueues(org, [...new Set([...small, ...extra])], filter, ignoresFilter);
        for (const queue of seen) expect(large).toContain(queue);
      }),
      { seed: 99, numRuns: 200 },
    );
  });

  /** Every page of GET /users, answered by an upstream that returns what was asked for plus a foreign user. */
  function listedUsers(org: Org, tenant: readonly string[]): string[] {
    const scope = scopeOf(...tenant);
    const seen: string[] = [];
    for (let page = 1; page <= 40; page += 1) {
      const query: [string, string[]][] = [['pageSize', ['3']], ['pageNumber', [String(page)]]];
      const plan = planUsersPage(inputOf(scope, { query, facts: org.facts }));
      if (plan.kind === 'empty') break;
      const asked = new Set(plan.calls[0]!.query.get('id'));
      const entities = org.users.filter((u) => asked.has(u.id) || !tenant.includes(u.divisionId)).map((u) => ({ id: u.id, division: { id: u.divisionId } }));
      const scoped = scopeUsersPage({ entities }, contextOf(scope, query, { path: '/api/v2/users', facts: org.facts }));
      seen.push(...(ids(scoped, 'entities', (u) => u['id']) as string[]));
    }
    return seen;
  }

  it('GET /users pages through exactly the tenant’s active users, whatever the upstream adds', () => {
    fc.assert(
      fc.property(orgArb, tenantArb, tenantArb, (org, small, extra) => {
        const seen = listedUsers(org, small);
        expect([...seen].sort()).toEqual(org.users.filter((u) => small.includes(u.divisionId) && u.state === 'active').map((u) => u.id).sort());
        const large = listedUsers(org, [...new Set([...small, ...extra])]);
        for (const user of seen) expect(large).toContain(user);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
