import { rewriteConversationAggregates, scopeConversationAggregates } from '../../../src/scoping/filters/aggregates.js';
import { scopeDivisionListing } from '../../../src/scoping/filters/divisions.js';
import { scopeQueueListing } from '../../../src/scoping/filters/queues.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const queue = (id: string, division: string) => ({ id, name: id, division: { id: division } });
const result = (group: Record<string, unknown>) => ({ group, data: [] });
const interval = '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z';

describe('an upstream total the tenant cannot have', () => {
  const facts = factsOf([entry('qa1', 'A'), entry('qa2', 'A'), entry('qb1', 'B'), entry('qc1', 'C')]);

  it('is not shown on a queue page that held only the tenant’s queues (Genesys ignored the divisionId filter)', () => {
    const body = { entities: [queue('qa1', 'A'), queue('qa2', 'A')], pageSize: 2, pageNumber: 1, total: 4, pageCount: 2, nextUri: '/next' };
    const scoped = scopeQueueListing(body, contextOf(scopeOf('A'), [], { facts }));
    expect(scoped).toMatchObject({ kind: 'ok', removed: 0, body: { total: 2, pageCount: 2 } });
  });

  it('is still trusted when it is within what the tenant has', () => {
    const body = { entities: [queue('qa1', 'A')], pageSize: 1, pageNumber: 1, total: 2, pageCount: 2, nextUri: '/next' };
    expect(scopeQueueListing(body, contextOf(scopeOf('A'), [], { facts }))).toMatchObject({ body: { total: 2, pageCount: 2 } });
  });

  it('is not shown on a division page that held only the tenant’s divisions', () => {
    const body = { entities: [{ id: 'A', name: 'A' }], pageSize: 1, pageNumber: 1, total: 5, pageCount: 5, nextUri: '/next' };
    const scoped = scopeDivisionListing(body, contextOf(scopeOf('A', 'B'), [], { path: '/api/v2/authorization/divisions' }));
    expect(scoped).toMatchObject({ kind: 'ok', body: { total: 1, pageCount: 2 } });
  });
});

describe('conversation aggregate groups', () => {
  const facts = factsOf([entry('qa1', 'A')], [entry('ua1', 'A'), entry('uc1', 'C')]);

  it('naming another division’s agent, an unknown agent or any conversation are dropped', () => {
    const body = { results: [result({ userId: 'ua1' }), result({ userId: 'uc1' }), result({ userId: 'nobody' }), result({ conversationId: 'c1' }), result({ mediaType: 'voice' })] };
    const scoped = scopeConversationAggregates(body, contextOf(scopeOf('A'), [], { facts }));
    expect(scoped).toMatchObject({ kind: 'ok', kept: 2, removed: 3 });
    if (scoped.kind !== 'ok') throw new Error('expected ok');
    expect((scoped.body as { results: unknown[] }).results).toEqual([result({ userId: 'ua1' }), result({ mediaType: 'voice' })]);
  });

  it('cannot be asked for by conversationId', () => {
    expect(() => rewriteConversationAggregates({ interval, metrics: ['nOffered'], groupBy: ['queueId', 'conversationId'] }, inputOf(scopeOf('A'), { facts }))).toThrow(
      expect.objectContaining({ code: 'body.invalid', status: 400 }),
    );
  });
});
