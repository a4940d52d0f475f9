import { GatewayError } from '../../errors.js';

/** Genesys analytics filter grammar: a filter holds clauses and predicates; clauses cannot nest. */
export type FilterType = 'and' | 'or';

export interface Predicate {
  readonly type?: 'dimension' | 'property' | 'metric' | undefined;
  readonly dimension?: string | undefined;
  readonly propertyType?: string | undefined;
  readonly property?: string | undefined;
  readonly metric?: string | undefined;
  readonly operator?: 'matches' | 'exists' | 'notExists' | undefined;
  readonly value?: string | undefined;
  readonly range?: Readonly<Record<string, string | number | undefined>> | undefined;
}

export interface Clause {
  readonly type: FilterType;
  readonly predicates: readonly Predicate[];
}

export interface Filter {
  readonly type: FilterType;
  readonly clauses?: readonly Clause[] | undefined;
  readonly predicates?: readonly Predicate[] | undefined;
}

/**
 * The most clauses an injected filter may have. Distributing a constraint over an `or` filter
 * multiplies its clauses; past this the tenant's filter is refused rather than sent as a monster.
 */
export const MAX_CLAUSES = 100;

export function dimensionPredicate(dimension: string, value: string): Predicate {
  return { type: 'dimension', dimension, operator: 'matches', value };
}

function isDimension(predicate: Predicate, dimension: string): boolean {
  return (predicate.type === undefined || predicate.type === 'dimension') && predicate.dimension === dimension;
}

/** A predicate that matches exactly one value of the dimension (the form ids are named in). */
function namedValue(predicate: Predicate, dimension: string): string | undefined {
  if (!isDimension(predicate, dimension)) return undefined;
  if ((predicate.operator ?? 'matches') !== 'matches' || predicate.range !== undefined) return undefined;
  return predicate.value;
}

export function allPredicates(filter: Filter): Predicate[] {
  return [...(filter.predicates ?? []), ...(filter.clauses ?? []).flatMap((clause) => clause.predicates)];
}

/** Every value the filter names for a dimension with `matches`, wherever it sits in the tree. */
export function namedValues(filter: Filter | undefined, dimension: string): string[] {
  if (!filter) return [];
  return allPredicates(filter).flatMap((predicate) => {
    const value = namedValue(predicate, dimension);
    return value === undefined ? [] : [value];
  });
}

/**
 * Refuses a filter that names a value of the dimension the tenant does not own: asking for another
 * tenant's queue is refused outright, not answered with silence.
 */
export function assertOwnValues(filter: Filter | undefined, dimension: string, isOwn: (value: string) => boolean): void {
  for (const value of namedValues(filter, dimension)) {
    if (!isOwn(value)) {
      throw new GatewayError('not.authorized', { message: `The filter names a ${dimension} outside the tenant’s divisions.` });
    }
  }
}

/**
 * For a single-valued dimension (a result group's queueId or userId): the values a result can have
 * and still match the filter, or 'any' when the filter does not pin the dimension down.
 */
export function impliedValues(filter: Filter | undefined, dimension: string): ReadonlySet<string> | 'any' {
  if (!filter) return 'any';
  const ofPredicate = (predicate: Predicate): ReadonlySet<string> | 'any' => {
    const value = namedValue(predicate, dimension);
    return value === undefined ? 'any' : new Set([value]);
  };
  const combine = (type: FilterType, parts: readonly (ReadonlySet<string> | 'any')[]): ReadonlySet<string> | 'any' => {
    if (type === 'or') {
      if (parts.length === 0 || parts.includes('any')) return 'any';
      return new Set(parts.flatMap((part) => [...(part as ReadonlySet<string>)]));
    }
    let result: ReadonlySet<string> | undefined;
    for (const part of parts) {
      if (part === 'any') continue;
      const previous = result;
      result = previous === undefined ? part : new Set([...previous].filter((value) => part.has(value)));
    }
    return result ?? 'any';
  };
  return combine(filter.type, [
    ...(filter.predicates ?? []).map(ofPredicate),
    ...(filter.clauses ?? []).map((clause) => combine(clause.type, clause.predicates.map(ofPredicate))),
  ]);
}

/**
 * How many clauses `restrictFilter` produces per restricting value: 1 unless the filter is an `or`
 * with clauses, which must be distributed (one clause per disjunct and value).
 */
export function clausesPerValue(filter: Filter | undefined): number {
  if (!filter || filter.type === 'and' || !filter.clauses?.length) return 1;
  return disjuncts(filter).length;
}

/**
 * `filter` AND (dimension is one of `values`), in the grammar Genesys accepts (no nested clauses)
 * and with the tenant's filter meaning exactly what it meant:
 * - no filter: the restriction alone;
 * - `and`: the restriction joins as one more `or` clause;
 * - `or` of predicates only: both become `or` clauses of an `and`;
 * - `or` with clauses: cannot be wrapped (that would nest), so it is distributed: every disjunct
 *   (an `and` clause, or one predicate of an `or` clause or of the top level) is ANDed with each
 *   value, giving an `or` of `and` clauses.
 * Refused with 400 when that would take more than MAX_CLAUSES clauses.
 */
export function restrictFilter(filter: Filter | undefined, dimension: string, values: readonly string[]): Filter {
  if (values.length === 0) throw new Error('restrictFilter needs at least one value');
  const restriction = values.map((value) => dimensionPredicate(dimension, value));
  if (!filter) return { type: 'or', predicates: restriction };
  const clauses = filter.clauses ?? [];
  const predicates = filter.predicates ?? [];
  if (filter.type === 'and') {
    const joined = [...clauses, { type: 'or' as const, predicates: restriction }];
    if (joined.length > MAX_CLAUSES) throw tooComplex();
    return { type: 'and', clauses: joined, ...(predicates.length ? { predicates } : {}) };
  }
  if (clauses.length === 0) {
    return { type: 'and', clauses: [{ type: 'or', predicates }, { type: 'or', predicates: restriction }] };
  }
  const terms = disjuncts(filter);
  if (terms.length * restriction.length > MAX_CLAUSES) throw tooComplex();
  return {
    type: 'or',
    clauses: terms.flatMap((term) => restriction.map((value) => ({ type: 'and' as const, predicates: [...term, value] }))),
  };
}

/** An `or` filter as a list of conjunctions (each a list of predicates). */
function disjuncts(filter: Filter): Predicate[][] {
  return [
    ...(filter.clauses ?? []).flatMap((clause) => (clause.type === 'and' ? [[...clause.predicates]] : clause.predicates.map((p) => [p]))),
    ...(filter.predicates ?? []).map((p) => [p]),
  ];
}

function tooComplex(): GatewayError {
  return new GatewayError('body.invalid', {
    message: `The filter cannot be limited to the tenant’s divisions within ${MAX_CLAUSES} clauses; simplify it or split the query.`,
  });
}
