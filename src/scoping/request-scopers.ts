import { withValues, type QueryValues } from './query.js';
import { forward, type RequestInput, type RequestPlan } from './route-rule.js';

/**
 * Keeps, of the values the tenant gave for an array parameter, only those `allowed` contains; with
 * none given, all of `allowed`. If nothing of what it asked for is left, the answer is empty
 * rather than wider.
 */
export function restrictArrayParam(query: QueryValues, name: string, allowed: readonly string[]): QueryValues | undefined {
  const asked = query.get(name);
  if (asked === undefined) return allowed.length === 0 ? undefined : withValues(query, name, allowed);
  const set = new Set(allowed);
  const kept = [...new Set(asked.filter((value) => set.has(value)))];
  return kept.length === 0 ? undefined : withValues(query, name, kept);
}

/**
 * Pushes the tenant's divisions upstream as the `divisionId` filter. Divisions outside its set
 * (another tenant's, `*`, empty values) are dropped.
 */
export function restrictDivisionIdParam({ query, scope }: RequestInput): RequestPlan {
  const restricted = restrictArrayParam(query, 'divisionId', scope.divisionIds);
  return restricted ? forward(restricted) : { kind: 'empty' };
}

/**
 * `/routing/queues/divisionviews` reads `divisionId=*` as "every division": for a tenant that is
 * every one of its own, and `*` itself never goes upstream.
 */
export function restrictDivisionViewsParam(input: RequestInput): RequestPlan {
  const asked = input.query.get('divisionId');
  if (asked?.includes('*')) return forward(withValues(input.query, 'divisionId', input.scope.divisionIds));
  return restrictDivisionIdParam(input);
}
