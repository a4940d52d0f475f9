import { dimensionPredicate as p } from '../../../src/scoping/filters/analytics-filter.js';
import { rewriteConversationAggregates, rewriteUserAggregates, scopeConversationAggregates, scopeUserAggregates } from '../../../src/scoping/filters/aggregates.js';
import { conversationAggregateQuerySchema } from '../../../src/scoping/filters/analytics-schemas.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const interval = '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z';
const metrics = ['nOffered'];
const facts = factsOf([entry('qa1', 'A'), entry('qc1', 'C')], [entry('ua1', 'A'), entry('uc1', 'C')]);
const result = (group: Record<string, unknown>) => ({ group, data: [{ interval, metrics: [{ metric: 'nOffered', stats: { count: 2 } }] }] });

describe('conversation aggregate requests', () => {
  it('ANDs the tenant’s filter with its divisions', () => {
    const plan = rewriteConversationAggregates({ interval, metrics, filter: { type: 'or', predicates: [p('mediaType', 'voice'), p('mediaType', 'chat')] } }, inputOf(scopeOf('A', 'B')));
    expect(plan).toMatchObject({
      kind: 'forward',
      calls: [
        {
          body: {
            interval,
            metrics,
            filter: {
              type: 'and',
              clauses: [
                { type: 'or', predicates: [p('mediaType', 'voice'), p('mediaType', 'chat')] },
                { type: 'or', predicates: [p('divisionId', 'A'), p('divisionId', 'B')] },
              ],
            },
          },
        },
      ],
    });
  });

  it('refuses a foreign division in the filter', () => {
    expect(() => rewriteConversationAggregates({ interval, metrics, filter: { type: 'and', predicates: [p('divisionId', 'C')] } }, inputOf(scopeOf('A')))).toThrow(
      expect.objectContaining({ code: 'not.authorized' }),
    );
  });

  it('validates the body strictly', () => {
    expect(conversationAggregateQuerySchema.safeParse({ interval, metrics }).success).toBe(true);
    expect(conversationAggregateQuerySchema.safeParse({ interval, metrics, surprise: true }).success).toBe(false);
    expect(conversationAggregateQuerySchema.safeParse({ interval: 'yesterday', metrics }).success).toBe(false);
    expect(conversationAggregateQuerySchema.safeParse({ interval }).success).toBe(false);
  });
});

describe('conversation aggregate answers', () => {
  it('drops groups naming a foreign or unknown queue or division, keeps the others', () => {
    const body = {
      results: [
        result({ queueId: 'qa1' }),
        result({ queueId: 'qc1' }),
        result({ queueId: 'unknown' }),
        result({ divisionId: 'A', mediaType: 'voice' }),
        result({ divisionId: 'C' }),
        result({ divisionId: ['A', 'C'] }),
        result({ mediaType: 'voice' }),
      ],
    };
    const scoped = scopeConversationAggregates(body, contextOf(scopeOf('A'), [], { facts }));
    expect(scoped).toMatchObject({ kind: 'ok', kept: 3, removed: 4 });
    if (scoped.kind !== 'ok') throw new Error('expected ok');
    expect((scoped.body as { results: unknown[] }).results).toEqual([result({ queueId: 'qa1' }), result({ divisionId: 'A', mediaType: 'voice' }), result({ mediaType: 'voice' })]);
  });

  it('reads an answer without results (Genesys leaves empty lists out) as empty', () => {
    expect(scopeConversationAggregates({}, contextOf(scopeOf('A'), [], { facts }))).toEqual({ kind: 'ok', body: { results: [] }, kept: 0, removed: 0 });
  });
});

describe('user aggregates', () => {
  it('restricts to the tenant’s users', () => {
    const plan = rewriteUserAggregates({ interval, metrics: ['tAgentRoutingStatus'], groupBy: ['userId'] }, inputOf(scopeOf('A'), { facts }));
    expect(plan).toMatchObject({ kind: 'forward', calls: [{ body: { filter: { type: 'or', predicates: [p('userId', 'ua1')] } } }] });
  });

  it('needs groupBy userId when the query takes several upstream calls', () => {
    const many = factsOf([], Array.from({ length: 150 }, (_, i) => entry(`u${i}`, 'A')));
    expect(() => rewriteUserAggregates({ interval, metrics: ['tAgentRoutingStatus'] }, inputOf(scopeOf('A'), { facts: many }))).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    const plan = rewriteUserAggregates({ interval, metrics: ['tAgentRoutingStatus'], groupBy: ['userId'] }, inputOf(scopeOf('A'), { facts: many }));
    expect(plan.kind === 'forward' && plan.calls.length).toBe(2);
  });

  it('drops groups of other users', () => {
    const scoped = scopeUserAggregates({ results: [result({ userId: 'ua1' }), result({ userId: 'uc1' }), result({})] }, contextOf(scopeOf('A'), [], { facts }));
    expect(scoped).toMatchObject({ kept: 2, removed: 1 });
  });
});
