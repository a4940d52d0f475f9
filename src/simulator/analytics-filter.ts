import { isRecord } from './body.js';
import { badRequest, invalidValue } from './errors.js';

/** The values an entity (queue, user, conversation, segment) has for one dimension. */
export type DimensionValues = (dimension: string) => readonly string[];

export type FilterType = 'and' | 'or';
export type PredicateOperator = 'matches' | 'exists' | 'notExists';

export interface Predicate {
  readonly type?: 'dimension';
  readonly dimension: string;
  readonly operator: PredicateOperator;
  readonly value?: string;
}

export interface Clause {
  readonly type: FilterType;
  readonly predicates: readonly Predicate[];
}

export interface AnalyticsFilter {
  readonly type: FilterType;
  readonly clauses: readonly Clause[];
  readonly predicates: readonly Predicate[];
}

/** Which dimensions a query accepts, and how Genesys names that enum in its errors. */
export interface FilterSchema {
  readonly fieldType: string;
  readonly dimensions: readonly string[];
}

const FILTER_TYPES: readonly FilterType[] = ['and', 'or'];
const OPERATORS: readonly PredicateOperator[] = ['matches', 'exists', 'notExists'];

function parseType(value: unknown): FilterType {
  if (typeof value !== 'string' || !FILTER_TYPES.includes(value as FilterType)) throw invalidValue(String(value), 'FilterType', FILTER_TYPES);
  return value as FilterType;
}

function parsePredicate(input: unknown, schema: FilterSchema): Predicate {
  if (!isRecord(input)) throw badRequest('Each predicate must be an object.');
  if (input['type'] !== undefined && input['type'] !== 'dimension') {
    throw badRequest(`Predicates of type [${String(input['type'])}] are not supported here; use dimension predicates.`);
  }
  const dimension = input['dimension'];
  if (typeof dimension !== 'string' || !schema.dimensions.includes(dimension)) throw invalidValue(String(dimension), schema.fieldType, schema.dimensions);
  const operator = input['operator'] ?? 'matches';
  if (typeof operator !== 'string' || !OPERATORS.includes(operator as PredicateOperator)) throw invalidValue(String(operator), 'Operator', OPERATORS);
  const value = input['value'];
  if (operator === 'matches' && (typeof value !== 'string' || value === '')) throw badRequest(`A matches predicate on [${dimension}] needs a value.`);
  return { dimension, operator: operator as PredicateOperator, ...(typeof value === 'string' ? { value } : {}) };
}

function parsePredicates(input: unknown, schema: FilterSchema): Predicate[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw badRequest('predicates must be an array.');
  return input.map((predicate) => parsePredicate(predicate, schema));
}

function parseClause(input: unknown, schema: FilterSchema): Clause {
  if (!isRecord(input)) throw badRequest('Each clause must be an object.');
  if (input['clauses'] !== undefined) throw badRequest('Clauses cannot be nested: a clause holds predicates only.');
  const predicates = parsePredicates(input['predicates'], schema);
  if (predicates.length === 0) throw badRequest('A clause needs at least one predicate.');
  return { type: parseType(input['type']), predicates };
}

/** Validates a filter the way Genesys does for the given query, or throws a 400. */
export function parseFilter(input: unknown, schema: FilterSchema): AnalyticsFilter {
  if (!isRecord(input)) throw badRequest('filter must be an object.');
  const type = parseType(input['type']);
  const rawClauses = input['clauses'];
  if (rawClauses !== undefined && rawClauses !== null && !Array.isArray(rawClauses)) throw badRequest('clauses must be an array.');
  const clauses = Array.isArray(rawClauses) ? rawClauses.map((clause: unknown) => parseClause(clause, schema)) : [];
  const predicates = parsePredicates(input['predicates'], schema);
  if (clauses.length === 0 && predicates.length === 0) throw badRequest('A filter needs at least one predicate or clause.');
  return { type, clauses, predicates };
}

/** A list of filters (conversationFilters, segmentFilters) is ANDed; an absent list matches everything. */
export function parseFilterList(input: unknown, schema: FilterSchema, field: string): AnalyticsFilter[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw badRequest(`${field} must be an array.`);
  return input.map((filter) => parseFilter(filter, schema));
}

function predicateHolds(predicate: Predicate, values: DimensionValues): boolean {
  const found = values(predicate.dimension);
  if (predicate.operator === 'exists') return found.length > 0;
  if (predicate.operator === 'notExists') return found.length === 0;
  return found.includes(predicate.value!);
}

function combine(type: FilterType, tests: readonly (() => boolean)[]): boolean {
  return type === 'and' ? tests.every((test) => test()) : tests.some((test) => test());
}

export function matchesFilter(filter: AnalyticsFilter, values: DimensionValues): boolean {
  return combine(filter.type, [
    ...filter.predicates.map((predicate) => () => predicateHolds(predicate, values)),
    ...filter.clauses.map((clause) => () => combine(clause.type, clause.predicates.map((predicate) => () => predicateHolds(predicate, values)))),
  ]);
}

