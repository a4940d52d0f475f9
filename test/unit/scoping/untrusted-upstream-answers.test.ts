import { planConversationAggregates } from '../../../src/scoping/filters/aggregates.js';
import { scopeDivisionListing } from '../../../src/scoping/filters/divisions.js';
import { scopeQueueListing } from '../../../src/scoping/filters/queues.js';
import { UnexpectedShapeError } from '../../../src/scoping/scope.js';
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
  const plan = (groupBy: string[]) => planConversationAggregates({ interval, metrics: ['nOffered'], groupBy }, inputOf(scopeOf('A'), { facts }));
  const counted = (group: Record<string, unknown>) => ({ group, data: [{ interval, metrics: [{ metric: 'nOffered', stats: { count: 1 } }] }] });

  it('naming another division’s agent, an unknown agent, or no queue at all are dropped', () => {
    const body = { results: [counted({ queueId: 'qa1', userId: 'ua1' }), counted({ queueId: 'qa1', userId: 'uc1' }), counted({ queueId: 'qa1', userId: 'nobody' }), counted({ userId: 'ua1' })] };
    expect(plan(['userId']).combine([body])).toEqual({ results: [counted({ userId: 'ua1' })] });
  });

  it('with values that are not strings fail closed', () => {
    expect(() => plan(['userId']).combine([{ results: [counted({ queueId: ['qa1'] })] }])).toThrow(UnexpectedShapeError);
    expect(() => plan(['userId']).combine([{ results: [result({ queueId: 'qa1' }), { group: { queueId: 'qa1' }, data: [{ interval, metrics: [{ metric: 'x', stats: { count: 'many' } }] }] }] }])).toThrow(UnexpectedShapeError);
  });

  it('cannot be asked for by conversationId', () => {
    expect(() => plan(['queueId', 'conversationId'])).toThrow(expect.objectContaining({ code: 'body.invalid', status: 400 }));
  });
});
