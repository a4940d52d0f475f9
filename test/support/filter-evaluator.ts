import type { Filter, Predicate } from '../../src/scoping/filters/analytics-filter.js';

/** What a conversation (or an observation group) has for each dimension; divisionId may have several. */
export type Dimensions = Readonly<Record<string, readonly string[]>>;

/** A tiny evaluator of Genesys filter semantics, for checking rewrites against the original. */
export function holds(predicate: Predicate, dimensions: Dimensions): boolean {
  const values = dimensions[predicate.dimension ?? ''] ?? [];
  const operator = predicate.operator ?? 'matches';
  if (operator === 'exists') return values.length > 0;
  if (operator === 'notExists') return values.length === 0;
  return predicate.value !== undefined && values.includes(predicate.value);
}

export function matches(filter: Filter | undefined, dimensions: Dimensions): boolean {
  if (!filter) return true;
  const combine = (type: 'and' | 'or', results: boolean[]) => (type === 'and' ? results.every(Boolean) : results.some(Boolean));
  return combine(filter.type, [
    ...(filter.predicates ?? []).map((predicate) => holds(predicate, dimensions)),
    ...(filter.clauses ?? []).map((clause) => combine(clause.type, clause.predicates.map((predicate) => holds(predicate, dimensions)))),
  ]);
}
