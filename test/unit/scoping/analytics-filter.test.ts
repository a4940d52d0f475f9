import fc from 'fast-check';
import { GatewayError } from '../../../src/errors.js';
import {
  assertOwnValues,
  impliedValues,
  MAX_CLAUSES,
  namedValues,
  restrictFilter,
  type Filter,
  type Predicate,
} from '../../../src/scoping/filters/analytics-filter.js';
import { checkAnalyticsFilters } from '../../../src/scoping/filters/analytics-dimensions.js';
import { filterSchema } from '../../../src/scoping/filters/analytics-schemas.js';
import { matches, type Dimensions } from '../../support/filter-evaluator.js';

const p = (dimension: string, value: string): Predicate => ({ type: 'dimension', dimension, operator: 'matches', value });

describe('restrictFilter', () => {
  it('uses the restriction alone when the tenant sent no filter', () => {
    expect(restrictFilter(undefined, 'divisionId', ['A', 'B'])).toEqual({ type: 'or', predicates: [p('divisionId', 'A'), p('divisionId', 'B')] });
  });

  it('adds the restriction as one more clause of an and filter', () => {
    const filter: Filter = { type: 'and', clauses: [{ type: 'or', predicates: [p('queueId', 'q1'), p('queueId', 'q2')] }], predicates: [p('mediaType', 'voice')] };
    expect(restrictFilter(filter, 'divisionId', ['A'])).toEqual({
      type: 'and',
      clauses: [filter.clauses![0], { type: 'or', predicates: [p('divisionId', 'A')] }],
      predicates: [p('mediaType', 'voice')],
    });
  });

  it('wraps an or filter of predicates into an and of two or clauses', () => {
    const filter: Filter = { type: 'or', predicates: [p('queueId', 'q1'), p('mediaType', 'chat')] };
    expect(restrictFilter(filter, 'divisionId', ['A', 'B'])).toEqual({
      type: 'and',
      clauses: [
        { type: 'or', predicates: filter.predicates },
        { type: 'or', predicates: [p('divisionId', 'A'), p('divisionId', 'B')] },
      ],
    });
  });

  it('distributes an or filter with clauses instead of nesting it', () => {
    const filter: Filter = {
      type: 'or',
      clauses: [{ type: 'and', predicates: [p('queueId', 'q1'), p('mediaType', 'voice')] }, { type: 'or', predicates: [p('queueId', 'q2'), p('queueId', 'q3')] }],
      predicates: [p('mediaType', 'email')],
    };
    const restricted = restrictFilter(filter, 'divisionId', ['A', 'B']);
    expect(restricted.type).toBe('or');
    expect(restricted.predicates).toBeUndefined();
    // Four disjuncts (the and clause, q2, q3, email) times two divisions.
    expect(restricted.clauses).toHaveLength(8);
    expect(restricted.clauses).toContainEqual({ type: 'and', predicates: [p('queueId', 'q1'), p('mediaType', 'voice'), p('divisionId', 'B')] });
    expect(restricted.clauses).toContainEqual({ type: 'and', predicates: [p('mediaType', 'email'), p('divisionId', 'A')] });
  });

  it('refuses with 400 what it cannot express within the clause limit', () => {
    const clauses = Array.from({ length: 30 }, (_, i) => ({ type: 'and' as const, predicates: [p('queueId', `q${i}`)] }));
    const values = Array.from({ length: 4 }, (_, i) => `D${i}`);
    expect(30 * values.length).toBeGreaterThan(MAX_CLAUSES);
    expect(() => restrictFilter({ type: 'or', clauses }, 'divisionId', values)).toThrow(expect.objectContaining({ code: 'body.invalid' }));
  });
});

describe('what a filter names', () => {
  const filter: Filter = {
    type: 'and',
    clauses: [{ type: 'or', predicates: [p('queueId', 'q1'), p('queueId', 'q2')] }],
    predicates: [p('mediaType', 'voice'), { dimension: 'queueId', operator: 'exists' }],
  };

  it('lists every matched value of a dimension, wherever it sits', () => {
    expect(namedValues(filter, 'queueId')).toEqual(['q1', 'q2']);
    expect(namedValues(undefined, 'queueId')).toEqual([]);
  });

  it('refuses a filter naming a value the tenant does not own with 403', () => {
    expect(() => assertOwnValues(filter, 'queueId', (id) => id === 'q1')).toThrow(GatewayError);
    expect(() => assertOwnValues(filter, 'queueId', (id) => id === 'q1')).toThrow(expect.objectContaining({ code: 'not.authorized', status: 403 }));
    expect(() => assertOwnValues(filter, 'queueId', () => true)).not.toThrow();
  });

  it('knows which values a single-valued dimension can take', () => {
    expect(impliedValues(filter, 'queueId')).toEqual(new Set(['q1', 'q2']));
    expect(impliedValues({ type: 'or', predicates: [p('queueId', 'q1'), p('mediaType', 'voice')] }, 'queueId')).toBe('any');
    expect(impliedValues({ type: 'and', predicates: [p('queueId', 'q1'), p('queueId', 'q2')] }, 'queueId')).toEqual(new Set());
    expect(impliedValues(undefined, 'queueId')).toBe('any');
  });
});

describe('filter injection, for random filter trees', () => {
  const dimensions: Record<'divisionId' | 'queueId' | 'mediaType', readonly string[]> = { divisionId: ['A', 'B', 'C', 'D'], queueId: ['q1', 'q2', 'q3'], mediaType: ['voice', 'chat'] };
  type Dimension = keyof typeof dimensions;
  const dimensionArb = fc.constantFrom<Dimension>('divisionId', 'queueId', 'mediaType');
  const predicateArb: fc.Arbitrary<Predicate> = dimensionArb.chain((dimension) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...dimensions[dimension]).map((value) => p(dimension, value)) },
      { weight: 1, arbitrary: fc.constantFrom('exists' as const, 'notExists' as const).map((operator) => ({ dimension, operator })) },
    ),
  );
  const typeArb = fc.constantFrom('and' as const, 'or' as const);
  const clauseArb = fc.record({ type: typeArb, predicates: fc.array(predicateArb, { minLength: 1, maxLength: 3 }) });
  const filterArb: fc.Arbitrary<Filter> = fc
    .record({ type: typeArb, clauses: fc.array(clauseArb, { maxLength: 3 }), predicates: fc.array(predicateArb, { maxLength: 3 }) })
    .filter((f) => f.clauses.length + f.predicates.length > 0)
    .map((f) => ({ type: f.type, ...(f.clauses.length ? { clauses: f.clauses } : {}), ...(f.predicates.length ? { predicates: f.predicates } : {}) }));
  const conversationArb: fc.Arbitrary<Dimensions> = fc.record({
    divisionId: fc.subarray([...dimensions.divisionId]),
    queueId: fc.subarray([...dimensions.queueId], { maxLength: 1 }),
    mediaType: fc.subarray([...dimensions.mediaType], { maxLength: 1 }),
  });
  const tenantArb = fc.subarray([...dimensions.divisionId], { minLength: 1 });
  const validFilter = filterSchema();

  it('matches a conversation iff the original matches it and it is in one of the tenant’s divisions', () => {
    fc.assert(
      fc.property(fc.option(filterArb, { nil: undefined }), tenantArb, fc.array(conversationArb, { minLength: 1, maxLength: 10 }), (filter, tenant, conversations) => {
        const restricted = restrictFilter(filter, 'divisionId', tenant);
        for (const conversation of conversations) {
          const inTenant = conversation['divisionId']!.some((id) => tenant.includes(id));
          expect(matches(restricted, conversation)).toBe(matches(filter, conversation) && inTenant);
        }
      }),
      { seed: 20261123, numRuns: 1000 },
    );
  });

  it('produces only filters Genesys accepts: clauses hold predicates, never clauses', () => {
    fc.assert(
      fc.property(fc.option(filterArb, { nil: undefined }), tenantArb, (filter, tenant) => {
        const restricted = restrictFilter(filter, 'divisionId', tenant);
        expect(validFilter.safeParse(restricted).success).toBe(true);
        expect((restricted.clauses ?? []).length).toBeLessThanOrEqual(MAX_CLAUSES);
        for (const clause of restricted.clauses ?? []) expect(clause).not.toHaveProperty('clauses');
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('never lets a restricted filter match a conversation outside the tenant’s divisions', () => {
    fc.assert(
      fc.property(fc.option(filterArb, { nil: undefined }), tenantArb, conversationArb, (filter, tenant, conversation) => {
        fc.pre(!conversation['divisionId']!.some((id) => tenant.includes(id)));
        expect(matches(restrictFilter(filter, 'divisionId', tenant), conversation)).toBe(false);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('the filter schema', () => {
  const schema = filterSchema();
  const check = (filter: unknown) => checkAnalyticsFilters('queueObservations', { filter }, () => true);

  it('refuses nested clauses, empty filters, and (by the one rule) dimensions the query does not have', () => {
    expect(schema.safeParse({ type: 'and', clauses: [{ type: 'or', clauses: [] }] }).success).toBe(false);
    expect(schema.safeParse({ type: 'and' }).success).toBe(false);
    expect(() => check({ type: 'and', predicates: [p('divisionId', 'A')] })).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    expect(() => check({ type: 'and', predicates: [p('queueId', 'q1')] })).not.toThrow();
  });

  it('refuses a matches predicate without a value and unknown fields', () => {
    expect(schema.safeParse({ type: 'and', predicates: [{ dimension: 'queueId' }] }).success).toBe(false);
    expect(schema.safeParse({ type: 'and', predicates: [{ ...p('queueId', 'q1'), extra: 1 }] }).success).toBe(false);
    expect(schema.safeParse({ type: 'and', predicates: [{ type: 'property', property: 'x', value: 'y' }] }).success).toBe(false);
  });
});
