import fc from 'fast-check';
import { GatewayError } from '../../../../src/errors.js';
import { planBulkPresence, scopeBulkPresence, scopeRoutingStatus, scopeSystemPresences } from '../../../../src/scoping/agent-state/presence.js';
import { project } from '../../../../src/scoping/agent-state/projection.js';
import { MAX_DETAIL_USERS, rewriteUserDetailsQuery, scopeUserDetails, type UserDetailsQuery } from '../../../../src/scoping/agent-state/user-details.js';
import { dimensionPredicate as p, type Filter } from '../../../../src/scoping/filters/analytics-filter.js';
import { UnexpectedShapeError } from '../../../../src/scoping/scope.js';
import { matches } from '../../../support/filter-evaluator.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../../support/scoping.js';

const userIds = ['ua1', 'ua2', 'ua3', 'ub1', 'ub2', 'uc1'];
const users = userIds.map((id) => entry(id, id[1]!.toUpperCase()));
const facts = factsOf([], users);
const interval = '2026-11-01T00:00:00Z/2026-11-02T00:00:00Z';

/** Which users a rewritten query selects, by the filter semantics (every user filter holds). */
function selected(plan: ReturnType<typeof rewriteUserDetailsQuery>): string[] {
  if (plan.kind === 'empty') return [];
  expect(plan.calls).toHaveLength(1);
  const filters = (plan.calls[0]!.body as UserDetailsQuery).userFilters as Filter[];
  return userIds.filter((id) => filters.every((filter) => matches(filter, { userId: [id] })));
}

describe('user details queries', () => {
  const userFilter = fc.array(fc.constantFrom(...userIds.filter((id) => id.startsWith('ua'))), { minLength: 1, maxLength: 3 }).map(
    (ids): Filter => ({ type: 'or', predicates: ids.map((id) => p('userId', id)) }),
  );

  it('property: the rewritten query selects exactly the tenant’s users the tenant’s filters select', () => {
    fc.assert(
      fc.property(fc.array(userFilter, { maxLength: 2 }), (filters) => {
        const plan = rewriteUserDetailsQuery({ interval, ...(filters.length ? { userFilters: filters } : {}) }, inputOf(scopeOf('A'), { facts }));
        const expected = userIds.filter((id) => id.startsWith('ua') && filters.every((filter) => matches(filter, { userId: [id] })));
        expect(selected(plan)).toEqual(expected);
      }),
    );
  });

  it('property: naming any user outside the tenant’s divisions (or nobody’s) is refused with 403', () => {
    fc.assert(
      fc.property(userFilter, fc.constantFrom('ub1', 'uc1', 'nobody'), (filter, foreign) => {
        const withForeign: Filter = { ...filter, predicates: [...(filter.predicates ?? []), p('userId', foreign)] };
        expect(() => rewriteUserDetailsQuery({ interval, userFilters: [withForeign] }, inputOf(scopeOf('A'), { facts }))).toThrow(
          expect.objectContaining({ code: 'not.authorized', status: 403 }),
        );
      }),
    );
  });

  it('lists a large tenant’s users in clauses of 100, in one query, and refuses beyond the limit', () => {
    const many = Array.from({ length: 250 }, (_, i) => entry(`u${i}`, 'A'));
    const plan = rewriteUserDetailsQuery({ interval }, inputOf(scopeOf('A'), { facts: factsOf([], many) }));
    const filters = plan.kind === 'forward' ? ((plan.calls[0]!.body as UserDetailsQuery).userFilters as Filter[]) : [];
    expect(filters).toHaveLength(1);
    expect(filters[0]!.clauses?.map((clause) => clause.predicates.length)).toEqual([100, 100, 50]);
    const tooMany = Array.from({ length: MAX_DETAIL_USERS + 1 }, (_, i) => entry(`u${i}`, 'A'));
    expect(() => rewriteUserDetailsQuery({ interval }, inputOf(scopeOf('A'), { facts: factsOf([], tooMany) }))).toThrow(GatewayError);
  });

  it('answers a tenant with no users without asking Genesys', () => {
    expect(rewriteUserDetailsQuery({ interval }, inputOf(scopeOf('Z'), { facts })).kind).toBe('empty');
  });

  it('keeps documented fields only and refuses an answer naming another tenant’s user', () => {
    const context = contextOf(scopeOf('A'), [], { facts });
    const answer = { userDetails: [{ userId: 'ua1', primaryPresence: [{ systemPresence: 'AVAILABLE', extra: 1 }], secret: 'x' }], totalHits: 1, aggregations: [{}] };
    expect(scopeUserDetails(answer, context)).toMatchObject({ kind: 'ok', body: { userDetails: [{ userId: 'ua1', primaryPresence: [{ systemPresence: 'AVAILABLE' }] }], totalHits: 1 } });
    expect(JSON.stringify(scopeUserDetails(answer, context))).not.toMatch(/secret|extra|aggregations/);
    expect(() => scopeUserDetails({ userDetails: [{ userId: 'ua1' }, { userId: 'ub1' }], totalHits: 2 }, context)).toThrow(UnexpectedShapeError);
  });
});

describe('presence and routing status', () => {
  it('property: bulk presence asks only for the tenant’s users and refuses any other id', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...userIds, 'nobody'), { minLength: 1, maxLength: 6 }), (ids) => {
        const input = inputOf(scopeOf('A'), { facts, query: [['id', ids]] });
        if (ids.every((id) => id.startsWith('ua'))) expect(planBulkPresence(input)).toEqual({ kind: 'forward', calls: [{ query: new Map([['id', ids]]) }] });
        else expect(() => planBulkPresence(input)).toThrow(expect.objectContaining({ status: 403 }));
      }),
    );
  });

  it('refuses more than 50 ids and no id at all', () => {
    const many = Array.from({ length: 51 }, (_, i) => `u${i}`);
    expect(() => planBulkPresence(inputOf(scopeOf('A'), { facts: factsOf([], many.map((id) => entry(id, 'A'))), query: [['id', many]] }))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(() => planBulkPresence(inputOf(scopeOf('A'), { facts }))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('drops presences of users not asked for or not the tenant’s', () => {
    const context = contextOf(scopeOf('A'), [['id', ['ua1', 'ua2']]], { facts });
    const answer = [{ userId: 'ua1', presenceDefinition: { id: 'p', systemPresence: 'AVAILABLE' } }, { userId: 'ub1' }, { userId: 'ua3' }, 'junk'];
    const scoped = scopeBulkPresence(answer, context);
    expect(scoped).toMatchObject({ kind: 'ok', body: [{ userId: 'ua1', presenceDefinition: { id: 'p', systemPresence: 'AVAILABLE' } }], kept: 1, removed: 3 });
  });

  it('answers 404 for a routing status about another user than the path names', () => {
    const context = contextOf(scopeOf('A'), [], { facts, params: { userId: 'ua1' } });
    expect(scopeRoutingStatus({ userId: 'ub1', status: 'IDLE' }, context)).toEqual({ kind: 'not-found' });
    expect(scopeRoutingStatus({ userId: 'ua1', status: 'IDLE', startTime: 't', division: { id: 'B' } }, context)).toEqual({
      kind: 'ok', body: { userId: 'ua1', status: 'IDLE', startTime: 't' }, kept: 1, removed: 0,
    });
  });

  it('keeps system presences’ documented fields', () => {
    expect(scopeSystemPresences([{ id: 'AVAILABLE', name: 'Available', selfUri: '/x', more: 1 }], contextOf(scopeOf('A')))).toMatchObject({ body: [{ id: 'AVAILABLE', name: 'Available', selfUri: '/x' }] });
  });

  it('property: a projection never passes a field its shape does not name', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const projected = JSON.stringify(project({ keep: value, drop: value }, { keep: { id: 'scalar' } }) ?? null);
        expect(projected).not.toContain('"drop"');
      }),
    );
  });
});
