import { dimensionPredicate as p, type Filter } from '../../../src/scoping/filters/analytics-filter.js';
import { planConversationAggregates, rewriteUserAggregates, scopeUserAggregates } from '../../../src/scoping/filters/aggregates.js';
import { conversationAggregateQuerySchema } from '../../../src/scoping/filters/analytics-schemas.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const interval = '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z';
const metrics = ['tHandle'];
const facts = factsOf([entry('qa1', 'A'), entry('qa2', 'A'), entry('qb1', 'B'), entry('qc1', 'C')], [entry('ua1', 'A'), entry('uc1', 'C')]);
const result = (group: Record<string, unknown>) => ({ group, data: [{ interval, metrics: [{ metric: 'nOffered', stats: { count: 2 } }] }] });
const handle = (group: Record<string, string>, stats: Record<string, number>) => ({ group, data: [{ interval, metrics: [{ metric: 'tHandle', stats }] }] });
const plan = (body: Parameters<typeof planConversationAggregates>[0], ...divisions: string[]) => planConversationAggregates(body, inputOf(scopeOf(...divisions), { facts }));

describe('conversation aggregate requests', () => {
  it('ask Genesys by queue, for the tenant’s queues only, keeping the tenant’s filter', () => {
    const filter: Filter = { type: 'or', predicates: [p('mediaType', 'voice'), p('mediaType', 'chat')] };
    const { bodies } = plan({ interval, metrics, filter, groupBy: ['mediaType'] }, 'A', 'B');
    expect(bodies).toEqual([
      {
        interval,
        metrics,
        groupBy: ['queueId', 'mediaType'],
        filter: {
          type: 'and',
          clauses: [
            { type: 'or', predicates: [p('mediaType', 'voice'), p('mediaType', 'chat')] },
            { type: 'or', predicates: [p('queueId', 'qa1'), p('queueId', 'qa2'), p('queueId', 'qb1')] },
          ],
        },
      },
    ]);
  });

  it('refuse a foreign or unknown id in the filter identically, on every entity dimension', () => {
    for (const [dimension, value] of [['divisionId', 'C'], ['queueId', 'qc1'], ['queueId', 'nowhere'], ['userId', 'uc1'], ['userId', 'nobody']] as const) {
      let message = '';
      try {
        plan({ interval, metrics, filter: { type: 'and', predicates: [p(dimension, value)] } }, 'A');
      } catch (error) {
        expect(error).toMatchObject({ code: 'not.authorized', status: 403 });
        message = (error as Error).message;
      }
      expect(message).toBe(`The filter names a ${dimension} outside the tenant’s divisions.`);
    }
  });

  it('refuse dimensions whose owner the proxy cannot establish, and groupings it cannot check', () => {
    for (const dimension of ['wrapUpCode', 'teamId', 'flowId', 'conversationId', 'groupId']) {
      expect(() => plan({ interval, metrics, filter: { type: 'and', predicates: [p(dimension, 'x')] } }, 'A')).toThrow(expect.objectContaining({ code: 'body.invalid' }));
      expect(() => plan({ interval, metrics, groupBy: [dimension] }, 'A')).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    }
  });

  it('refuse topN queries and per-queue figures folded over several queues', () => {
    expect(() => plan({ interval, metrics, queryType: 'topN' }, 'A')).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    expect(() => plan({ interval, metrics: ['oServiceTarget'] }, 'A')).toThrow(expect.objectContaining({ code: 'body.invalid', message: expect.stringContaining('oServiceTarget') }));
    expect(plan({ interval, metrics: ['oServiceTarget'], groupBy: ['queueId'] }, 'A').bodies).toHaveLength(1);
  });

  it('make no call for a tenant without queues', () => {
    expect(plan({ interval, metrics }, 'D').bodies).toEqual([]);
    expect(plan({ interval, metrics }, 'D').combine([])).toEqual({ results: [] });
  });

  it('validate the body strictly, as Genesys’s model has it', () => {
    expect(conversationAggregateQuerySchema.safeParse({ interval, metrics }).success).toBe(true);
    expect(conversationAggregateQuerySchema.safeParse({ interval, metrics, surprise: true }).success).toBe(false);
    expect(conversationAggregateQuerySchema.safeParse({ interval: 'yesterday', metrics }).success).toBe(false);
    expect(conversationAggregateQuerySchema.safeParse({ interval }).success).toBe(false);
    expect(conversationAggregateQuerySchema.safeParse({ interval, metrics, views: [{ target: 'tHandle', name: 'long' }] }).success).toBe(false);
  });
});

describe('conversation aggregate answers', () => {
  it('keep only the tenant’s queues and fold them back exactly into the tenant’s groups', () => {
    const { combine } = plan({ interval, metrics, groupBy: ['mediaType'] }, 'A', 'B');
    const answer = {
      results: [
        handle({ queueId: 'qa1', mediaType: 'voice' }, { count: 2, sum: 30, min: 10, max: 20 }),
        handle({ queueId: 'qb1', mediaType: 'voice' }, { count: 1, sum: 5, min: 5, max: 5 }),
        handle({ queueId: 'qc1', mediaType: 'voice' }, { count: 9, sum: 900, min: 1, max: 500 }),
        handle({ queueId: 'qa2', mediaType: 'chat' }, { count: 1, sum: 7, min: 7, max: 7 }),
        handle({ mediaType: 'voice' }, { count: 3, sum: 3, min: 1, max: 1 }),
      ],
    };
    expect(combine([answer])).toEqual({
      results: [
        handle({ mediaType: 'chat' }, { count: 1, max: 7, min: 7, sum: 7 }),
        handle({ mediaType: 'voice' }, { count: 3, max: 20, min: 5, sum: 35 }),
      ],
    });
  });

  it('give a divisionId group the division of the queue that handled the segments', () => {
    const { bodies, combine } = plan({ interval, metrics, groupBy: ['divisionId'] }, 'A', 'B');
    expect(bodies[0]!['groupBy']).toEqual(['queueId']);
    const answer = { results: [handle({ queueId: 'qa1' }, { count: 1, sum: 1 }), handle({ queueId: 'qa2' }, { count: 1, sum: 2 }), handle({ queueId: 'qb1' }, { count: 1, sum: 4 })] };
    expect(combine([answer])).toEqual({ results: [handle({ divisionId: 'A' }, { count: 2, sum: 3 }), handle({ divisionId: 'B' }, { count: 1, sum: 4 })] });
  });

  it('drop groups of other tenants’ agents, even in the tenant’s queues', () => {
    const { combine } = plan({ interval, metrics, groupBy: ['userId'] }, 'A');
    const answer = { results: [handle({ queueId: 'qa1', userId: 'ua1' }, { count: 1 }), handle({ queueId: 'qa1', userId: 'uc1' }, { count: 1 }), handle({ queueId: 'qa1' }, { count: 5 })] };
    expect(combine([answer])).toEqual({ results: [handle({ userId: 'ua1' }, { count: 1 }), handle({}, { count: 5 })] });
  });

  it('recompute ratios and refuse percentiles when queues must be merged, but not when grouped by queue', () => {
    const ratio = (queueId: string, numerator: number, denominator: number) => ({
      group: { queueId },
      data: [{ interval, metrics: [{ metric: 'oServiceLevel', stats: { numerator, denominator, ratio: numerator / denominator } }] }],
    });
    const merged = plan({ interval, metrics: ['oServiceLevel'] }, 'A').combine([{ results: [ratio('qa1', 1, 2), ratio('qa2', 3, 4)] }]);
    expect(merged.results[0]!.data[0]!.metrics[0]!.stats).toEqual({ denominator: 6, numerator: 4, ratio: 4 / 6 });
    const p95 = { results: [handle({ queueId: 'qa1' }, { count: 1, p95: 3 })] };
    expect(() => plan({ interval, metrics }, 'A').combine([p95])).toThrow(expect.objectContaining({ code: 'body.invalid', message: expect.stringContaining('tHandle') }));
    expect(plan({ interval, metrics, groupBy: ['queueId'] }, 'A').combine([p95])).toEqual({ results: [handle({ queueId: 'qa1' }, { count: 1, p95: 3 })] });
  });

  it('drop statistics and fields Genesys may add, and read an answer without results as empty', () => {
    const { combine } = plan({ interval, metrics, groupBy: ['queueId'] }, 'A');
    expect(combine([{ results: [{ group: { queueId: 'qa1' }, extra: 1, data: [{ interval, metrics: [{ metric: 'tHandle', stats: { count: 1, novel: 2 }, more: true }] }] }] }, {}])).toEqual({
      results: [handle({ queueId: 'qa1' }, { count: 1 })],
    });
  });
});

describe('user aggregates', () => {
  it('restricts to the tenant’s users', () => {
    const planned = rewriteUserAggregates({ interval, metrics: ['tAgentRoutingStatus'], groupBy: ['userId'] }, inputOf(scopeOf('A'), { facts }));
    expect(planned).toMatchObject({ kind: 'forward', calls: [{ body: { filter: { type: 'or', predicates: [p('userId', 'ua1')] } } }] });
  });

  it('needs groupBy userId when the query takes several upstream calls', () => {
    const many = factsOf([], Array.from({ length: 150 }, (_, i) => entry(`u${i}`, 'A')));
    expect(() => rewriteUserAggregates({ interval, metrics: ['tAgentRoutingStatus'] }, inputOf(scopeOf('A'), { facts: many }))).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    const planned = rewriteUserAggregates({ interval, metrics: ['tAgentRoutingStatus'], groupBy: ['userId'] }, inputOf(scopeOf('A'), { facts: many }));
    expect(planned.kind === 'forward' && planned.calls.length).toBe(2);
  });

  it('drops groups of other users', () => {
    const scoped = scopeUserAggregates({ results: [result({ userId: 'ua1' }), result({ userId: 'uc1' }), result({})] }, contextOf(scopeOf('A'), [], { facts }));
    expect(scoped).toMatchObject({ kept: 2, removed: 1 });
  });
});
