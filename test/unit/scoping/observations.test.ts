import fc from 'fast-check';
import { dimensionPredicate as p, MAX_CLAUSES, type Filter, type Predicate } from '../../../src/scoping/filters/analytics-filter.js';
import {
  IDS_PER_QUERY,
  MAX_CALLS_PER_REQUEST,
  restrictToOwnIds,
  rewriteUserObservations,
  scopeUserObservations,
} from '../../../src/scoping/filters/observations.js';
import { planQueueObservations } from '../../../src/scoping/filters/queue-observations.js';
import type { RequestInput } from '../../../src/scoping/route-rule.js';
import { mergeResults } from '../../../src/scoping/filters/results.js';
import { UnexpectedShapeError } from '../../../src/scoping/scope.js';
import { matches } from '../../support/filter-evaluator.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const queues = [entry('qa1', 'A'), entry('qa2', 'A'), entry('qb1', 'B'), entry('qc1', 'C')];
const users = [entry('ua1', 'A'), entry('ub1', 'B')];
const facts = factsOf(queues, users);
const metrics = ['oWaiting'];
type ObservationBody = Parameters<typeof planQueueObservations>[0];
const rewriteQueueObservations = (body: ObservationBody, input: RequestInput) => {
  const { bodies } = planQueueObservations(body, input);
  return bodies.length === 0 ? { kind: 'empty' as const } : { kind: 'forward' as const, calls: bodies.map((upstream) => ({ body: upstream })) };
};
const bodiesOf = (plan: { kind: string; calls?: readonly { body?: unknown }[] }) => (plan.calls ?? []).map((call) => call.body as { filter: Filter });

describe('queue observation requests', () => {
  it('restricts a query without queue predicates to the tenant’s queues', () => {
    const plan = rewriteQueueObservations({ filter: { type: 'or', predicates: [p('mediaType', 'voice')] }, metrics }, inputOf(scopeOf('A'), { facts }));
    const [body] = bodiesOf(plan);
    expect(body!.filter).toEqual({
      type: 'and',
      clauses: [
        { type: 'or', predicates: [p('mediaType', 'voice')] },
        { type: 'or', predicates: [p('queueId', 'qa1'), p('queueId', 'qa2')] },
      ],
    });
  });

  it('keeps a query for one of the tenant’s queues to that queue', () => {
    const plan = rewriteQueueObservations({ filter: { type: 'and', predicates: [p('queueId', 'qa2')] }, metrics }, inputOf(scopeOf('A', 'B'), { facts }));
    expect(bodiesOf(plan)).toHaveLength(1);
    expect(bodiesOf(plan)[0]!.filter.clauses).toEqual([{ type: 'or', predicates: [p('queueId', 'qa2')] }]);
  });

  it('refuses a queue of another tenant, or one the directory does not know, with 403', () => {
    for (const queue of ['qc1', 'unknown']) {
      expect(() => rewriteQueueObservations({ filter: { type: 'or', predicates: [p('queueId', 'qa1'), p('queueId', queue)] }, metrics }, inputOf(scopeOf('A'), { facts }))).toThrow(
        expect.objectContaining({ code: 'not.authorized' }),
      );
    }
  });

  it('answers without Genesys when the tenant has no queue', () => {
    expect(rewriteQueueObservations({ filter: { type: 'or', predicates: [p('mediaType', 'voice')] }, metrics }, inputOf(scopeOf('D'), { facts }))).toEqual({ kind: 'empty' });
  });

  it('chunks many queues into queries of at most 100', () => {
    const many = Array.from({ length: 250 }, (_, i) => entry(`q${String(i).padStart(3, '0')}`, 'A'));
    const plan = rewriteQueueObservations({ filter: { type: 'and', predicates: [p('mediaType', 'voice')] }, metrics }, inputOf(scopeOf('A'), { facts: factsOf(many) }));
    const sizes = bodiesOf(plan).map((body) => body.filter.clauses![0]!.predicates.length);
    expect(sizes).toEqual([IDS_PER_QUERY, IDS_PER_QUERY, 50]);
    const named = bodiesOf(plan).flatMap((body) => body.filter.clauses![0]!.predicates.map((predicate) => predicate.value));
    expect(new Set(named).size).toBe(250);
  });

  it('chunks smaller when the filter has to be distributed, and refuses requests that would take too many calls', () => {
    const filter: Filter = { type: 'or', clauses: [{ type: 'and', predicates: [p('mediaType', 'voice')] }, { type: 'and', predicates: [p('mediaType', 'chat')] }] };
    const many = Array.from({ length: 120 }, (_, i) => `q${i}`);
    const filters = restrictToOwnIds(filter, 'queueId', many);
    for (const restricted of filters) expect(restricted.clauses!.length).toBeLessThanOrEqual(MAX_CLAUSES);
    expect(filters.length).toBe(Math.ceil(120 / (MAX_CLAUSES / 2)));
    const tooMany = Array.from({ length: IDS_PER_QUERY * MAX_CALLS_PER_REQUEST + 1 }, (_, i) => `q${i}`);
    expect(() => restrictToOwnIds(undefined, 'queueId', tooMany)).toThrow(expect.objectContaining({ code: 'body.invalid' }));
  });

  it('restricts user observations to the tenant’s users', () => {
    const plan = rewriteUserObservations({ filter: { type: 'or', predicates: [p('userId', 'ua1')] }, metrics: ['oUserPresences'] }, inputOf(scopeOf('A'), { facts }));
    expect(bodiesOf(plan)).toHaveLength(1);
    expect(() => rewriteUserObservations({ filter: { type: 'or', predicates: [p('userId', 'ub1')] }, metrics: ['oUserPresences'] }, inputOf(scopeOf('A'), { facts }))).toThrow(
      expect.objectContaining({ code: 'not.authorized' }),
    );
  });
});

describe('observation answers', () => {
  const result = (group: Record<string, string>) => ({ group, data: [{ metric: 'oWaiting', stats: { count: 1 } }] });

  const combine = (answers: unknown[], body: ObservationBody = { filter: { type: 'or', predicates: [p('mediaType', 'voice')] }, metrics }) =>
    planQueueObservations(body, inputOf(scopeOf('A'), { facts })).combine(answers);

  it('keeps results of the tenant’s queues only, and drops results without a queue', () => {
    const body = { results: [result({ queueId: 'qa1', mediaType: 'voice' }), result({ queueId: 'qb1' }), result({ queueId: 'zz' }), result({ mediaType: 'voice' })], extra: 'x' };
    expect(combine([body])).toEqual({ results: [result({ queueId: 'qa1', mediaType: 'voice' })] });
  });

  const agents = (metric: string, userIds: string[], extra: Record<string, unknown> = {}) => ({
    metric,
    ...extra,
    stats: { count: userIds.length },
    observations: userIds.map((userId) => ({ observationDate: '2026-11-20T00:00:00Z', userId, scoredAgents: [{ agent: { id: userId } }] })),
  });

  it('asks for the detail entries of agent figures, and recounts them from the tenant’s own agents', () => {
    const body: ObservationBody = { filter: { type: 'and', predicates: [p('queueId', 'qa1')] }, metrics: ['oMemberUsers', 'oUserRoutingStatuses', 'oWaiting'] };
    expect(planQueueObservations(body, inputOf(scopeOf('A'), { facts })).bodies[0]).toMatchObject({ detailMetrics: ['oMemberUsers', 'oUserRoutingStatuses'] });
    const answer = {
      results: [
        {
          group: { queueId: 'qa1' },
          data: [
            agents('oMemberUsers', ['ua1', 'ub1', 'uz9']),
            agents('oUserRoutingStatuses', ['ua1'], { qualifier: 'IDLE' }),
            agents('oUserRoutingStatuses', ['ub1'], { qualifier: 'INTERACTING' }),
            { metric: 'oWaiting', stats: { count: 2 } },
          ],
        },
      ],
    };
    expect(combine([answer], body)).toEqual({
      results: [
        {
          group: { queueId: 'qa1' },
          data: [
            { metric: 'oMemberUsers', stats: { count: 1 } },
            { metric: 'oUserRoutingStatuses', qualifier: 'IDLE', stats: { count: 1 } },
            { metric: 'oWaiting', stats: { count: 2 } },
          ],
        },
      ],
    });
  });

  it('leaves out an agent figure its entries do not account for, and filters detail entries one by one', () => {
    const body: ObservationBody = { filter: { type: 'and', predicates: [p('queueId', 'qa1')] }, metrics: ['oMemberUsers', 'oActiveUsers', 'oInteracting'], detailMetrics: ['oActiveUsers', 'oInteracting'] };
    const truncated = { ...agents('oMemberUsers', ['ua1']), truncated: true };
    const interacting = { metric: 'oInteracting', stats: { count: 2 }, observations: [{ observationDate: 'd', conversationId: 'c1', userId: 'ua1', teamId: 't' }, { observationDate: 'd', conversationId: 'c2', userId: 'ub1' }] };
    const answer = { results: [{ group: { queueId: 'qa1' }, data: [truncated, agents('oActiveUsers', ['ua1', 'ub1']), interacting] }] };
    expect(combine([answer], body)).toEqual({
      results: [
        {
          group: { queueId: 'qa1' },
          data: [
            { metric: 'oActiveUsers', stats: { count: 1 }, observations: [{ observationDate: '2026-11-20T00:00:00Z', userId: 'ua1' }] },
            { metric: 'oInteracting', stats: { count: 2 }, observations: [{ observationDate: 'd', conversationId: 'c1', userId: 'ua1' }] },
          ],
        },
      ],
    });
  });

  it('keeps results of the tenant’s users only', () => {
    const scoped = scopeUserObservations({ results: [result({ userId: 'ua1' }), result({ userId: 'ub1' })] }, contextOf(scopeOf('A'), [], { facts }));
    expect(scoped).toMatchObject({ kept: 1, removed: 1 });
  });

  it('merges chunked answers and treats an absent results list as empty', () => {
    const merged = mergeResults([{ systemToOrganizationMappings: { AVAILABLE: ['x'] }, results: [result({ queueId: 'qa1' })] }, {}, { results: [result({ queueId: 'qa2' })] }]);
    expect(merged).toEqual({ systemToOrganizationMappings: { AVAILABLE: ['x'] }, results: [result({ queueId: 'qa1' }), result({ queueId: 'qa2' })] });
  });

  it('refuses answers of the wrong shape', () => {
    expect(() => combine([{ results: {} }])).toThrow(UnexpectedShapeError);
    expect(() => mergeResults([[]])).toThrow(UnexpectedShapeError);
  });
});

describe('restricting to the tenant’s ids, for random filters', () => {
  const ids = ['q1', 'q2', 'q3', 'q4', 'q5'];
  const predicateArb: fc.Arbitrary<Predicate> = fc.oneof(
    fc.constantFrom(...ids).map((id) => p('queueId', id)),
    fc.constantFrom('voice', 'chat').map((media) => p('mediaType', media)),
    fc.constant<Predicate>({ dimension: 'queueId', operator: 'exists' }),
  );
  const typeArb = fc.constantFrom('and' as const, 'or' as const);
  const filterArb: fc.Arbitrary<Filter> = fc
    .record({
      type: typeArb,
      clauses: fc.array(fc.record({ type: typeArb, predicates: fc.array(predicateArb, { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
      predicates: fc.array(predicateArb, { maxLength: 3 }),
    })
    .filter((f) => f.clauses.length + f.predicates.length > 0);

  it('selects exactly the groups the filter selects among the tenant’s ids (or refuses a foreign id)', () => {
    fc.assert(
      fc.property(fc.option(filterArb, { nil: undefined }), fc.subarray(ids, { minLength: 1 }), fc.constantFrom(...ids), fc.constantFrom('voice', 'chat'), (filter, own, queue, media) => {
        let filters: Filter[];
        try {
          filters = restrictToOwnIds(filter, 'queueId', own);
        } catch (error) {
          expect(error).toMatchObject({ code: 'not.authorized' });
          return;
        }
        const group = { queueId: [queue], mediaType: [media] };
        const selected = filters.some((restricted) => matches(restricted, group));
        expect(selected).toBe(matches(filter, group) && own.includes(queue));
      }),
      { seed: 3, numRuns: 1000 },
    );
  });
});
