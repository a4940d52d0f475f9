import { GatewayError } from '../../errors.js';
import type { DivisionIndex } from '../division-index.js';
import type { RequestInput, RequestPlan } from '../route-rule.js';
import type { ResponseContext, ScopedResponse, TenantScope } from '../scope.js';
import { checkAnalyticsFilters, ownershipOf } from './analytics-dimensions.js';
import { assertOwnValues, clausesPerValue, impliedValues, MAX_CLAUSES, restrictFilter, type Filter } from './analytics-filter.js';
import type { UserObservationQuery } from './analytics-schemas.js';
import { OBSERVATION_FIELDS, scopeObservationData } from './observation-data.js';
import { scopeGroupedResults } from './results.js';

/** Ids per upstream query; third-party clients of the observation APIs chunk by 100 too. */
export const IDS_PER_QUERY = 100;
/** A query that would take more upstream calls than this is refused (and should be narrowed). */
export const MAX_CALLS_PER_REQUEST = 50;

/**
 * For queries without a division dimension (observations, user aggregates): the tenant's filter
 * restricted to the tenant's ids of `dimension`, one filter per upstream call. Naming a foreign
 * id is refused (403); a filter that already pins the dimension down is restricted to those ids
 * only, so a query for one queue stays one call. An empty list means nothing can match.
 */
export function restrictToOwnIds(filter: Filter | undefined, dimension: string, ownIds: readonly string[]): Filter[] {
  const own = new Set(ownIds);
  assertOwnValues(filter, dimension, (id) => own.has(id));
  const implied = impliedValues(filter, dimension);
  const candidates = implied === 'any' ? ownIds : ownIds.filter((id) => implied.has(id));
  if (candidates.length === 0) return [];
  const perCall = Math.max(1, Math.min(IDS_PER_QUERY, Math.floor(MAX_CLAUSES / clausesPerValue(filter))));
  const calls = Math.ceil(candidates.length / perCall);
  if (calls > MAX_CALLS_PER_REQUEST) {
    throw new GatewayError('body.invalid', {
      message: `The query covers ${candidates.length} ${dimension} values, more than the proxy sends in one request; narrow it with X-Division-Id or a filter.`,
    });
  }
  return Array.from({ length: calls }, (_, i) => restrictFilter(filter, dimension, candidates.slice(i * perCall, (i + 1) * perCall)));
}

export function planPerFilter<T extends { readonly filter?: Filter | undefined }>(body: T, filters: readonly Filter[]): RequestPlan {
  if (filters.length === 0) return { kind: 'empty' };
  return { kind: 'forward', calls: filters.map((filter) => ({ query: new Map(), body: { ...body, filter } })) };
}

export const ownedBy = (index: DivisionIndex, scope: TenantScope) => (id: string): boolean => {
  const division = index.divisionOf(id);
  return division !== undefined && scope.divisions.has(division);
};

/** `POST /analytics/users/observations/query`: the query names only the tenant's users. */
export function rewriteUserObservations(body: UserObservationQuery, { scope, facts }: RequestInput): RequestPlan {
  checkAnalyticsFilters('userObservations', body, ownershipOf(scope, facts));
  return planPerFilter(body, restrictToOwnIds(body.filter, 'userId', facts.users.idsIn(scope.divisions)));
}

/** Results of other users are dropped; detail entries are kept one by one (see `scopeObservationData`). */
export function scopeUserObservations(body: unknown, context: ResponseContext): ScopedResponse {
  const own = ownedBy(context.facts.users, context.scope);
  const scoped = scopeGroupedResults(body, (group) => typeof group['userId'] === 'string' && own(group['userId']), OBSERVATION_FIELDS);
  if (scoped.kind !== 'ok') return scoped;
  const results = (scoped.body as { results: Record<string, unknown>[] }).results.map((result) => ({
    group: result['group'],
    data: scopeObservationData(result['data'], { ownUser: own, userStateFromEntries: false, detailMetrics: undefined }),
  }));
  return { ...scoped, body: { ...(scoped.body as object), results } };
}
