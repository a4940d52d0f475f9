import { dimensionPredicate as p } from '../../../src/scoping/filters/analytics-filter.js';
import { conversationDetailQuerySchema } from '../../../src/scoping/filters/analytics-schemas.js';
import {
  isOwnConversation,
  rewriteConversationJob as rewriteConversationQuery,
  scopeConversation,
  scopeConversationList,
  scopeJobCreated,
  scopeJobStatus,
} from '../../../src/scoping/filters/conversations.js';
import { UnexpectedShapeError } from '../../../src/scoping/scope.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const interval = '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z';
const conversation = (id: string, ...divisionIds: string[]) => ({ conversationId: id, divisionIds, participants: [] });
const scope = scopeOf('A', 'B');

describe('details query requests', () => {
  it('adds the tenant’s divisions as the only conversation filter when there is none', () => {
    const plan = rewriteConversationQuery({ interval }, inputOf(scope));
    expect(plan).toMatchObject({
      kind: 'forward',
      calls: [{ body: { interval, conversationFilters: [{ type: 'or', predicates: [p('divisionId', 'A'), p('divisionId', 'B')] }] } }],
    });
  });

  it('restricts every conversation filter and leaves segment filters alone', () => {
    const segmentFilters = [{ type: 'and' as const, predicates: [p('queueId', 'q1')] }];
    const plan = rewriteConversationQuery(
      { interval, conversationFilters: [{ type: 'or', predicates: [p('originatingDirection', 'inbound')] }, { type: 'and', predicates: [p('divisionId', 'A')] }], segmentFilters },
      inputOf(scope, { facts: factsOf([entry('q1', 'A')]) }),
    );
    if (plan.kind !== 'forward') throw new Error('expected forward');
    const body = plan.calls[0]!.body as { conversationFilters: { clauses: unknown[] }[]; segmentFilters: unknown };
    expect(body.conversationFilters).toHaveLength(2);
    for (const filter of body.conversationFilters) expect(filter.clauses).toContainEqual({ type: 'or', predicates: [p('divisionId', 'A'), p('divisionId', 'B')] });
    expect(body.segmentFilters).toEqual(segmentFilters);
  });

  it('refuses a filter naming a foreign division', () => {
    expect(() => rewriteConversationQuery({ interval, conversationFilters: [{ type: 'or', predicates: [p('divisionId', 'C')] }] }, inputOf(scope))).toThrow(
      expect.objectContaining({ code: 'not.authorized' }),
    );
  });

  it('does not accept aggregations or unknown fields in the body', () => {
    expect(conversationDetailQuerySchema.safeParse({ interval, aggregations: [] }).success).toBe(false);
    expect(conversationDetailQuerySchema.safeParse({ interval, paging: { pageSize: 10, pageNumber: 1 } }).success).toBe(true);
  });
});

describe('conversation answers', () => {
  it('keeps a conversation only when every one of its divisions is the tenant’s', () => {
    expect(isOwnConversation(conversation('c1', 'A'), scope)).toBe(true);
    expect(isOwnConversation(conversation('c2', 'A', 'B'), scope)).toBe(true);
    expect(isOwnConversation(conversation('c3', 'A', 'C'), scope)).toBe(false);
    expect(isOwnConversation(conversation('c4'), scope)).toBe(false);
    expect(isOwnConversation({ conversationId: 'c5' }, scope)).toBe(false);
  });

  it('filters a job results page and passes nothing else Genesys sends', () => {
    const body = { conversations: [conversation('c1', 'A'), conversation('c3', 'A', 'C')], totalHits: 40, aggregations: [{ x: 1 }] };
    expect(scopeConversationList(body, contextOf(scope))).toEqual({ kind: 'ok', body: { conversations: [conversation('c1', 'A')] }, kept: 1, removed: 1 });
  });

  it('keeps the cursor of job results and reads an absent list as empty', () => {
    expect(scopeConversationList({ cursor: 'abc', dataAvailabilityDate: '2026-11-20T00:00:00Z' }, contextOf(scope))).toMatchObject({
      body: { conversations: [], cursor: 'abc', dataAvailabilityDate: '2026-11-20T00:00:00Z' },
    });
    expect(() => scopeConversationList({ conversations: {} }, contextOf(scope))).toThrow(UnexpectedShapeError);
  });

  it('answers 404 for a single conversation that is shared or foreign', () => {
    expect(scopeConversation(conversation('c1', 'B'), contextOf(scope))).toMatchObject({ kind: 'ok' });
    expect(scopeConversation(conversation('c3', 'A', 'C'), contextOf(scope))).toEqual({ kind: 'not-found' });
  });
});

describe('job answers', () => {
  it('passes only a well-formed job id', () => {
    expect(scopeJobCreated({ jobId: 'job-1', extra: 'x' })).toEqual({ kind: 'ok', body: { jobId: 'job-1' }, kept: 1, removed: 0 });
    expect(() => scopeJobCreated({ jobId: '../x' })).toThrow(UnexpectedShapeError);
    expect(() => scopeJobCreated({})).toThrow(UnexpectedShapeError);
  });

  it('passes only the status fields', () => {
    expect(scopeJobStatus({ state: 'FULFILLED', completionDate: 'd', secret: 'x' })).toEqual({ kind: 'ok', body: { state: 'FULFILLED', completionDate: 'd' }, kept: 1, removed: 0 });
    expect(() => scopeJobStatus({})).toThrow(UnexpectedShapeError);
  });
});
