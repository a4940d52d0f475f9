import fc from 'fast-check';
import { matchesFilter, parseFilter, parseFilterList, type FilterSchema } from '../../src/simulator/analytics-filter.js';
import { bucketOf, parseGranularity, parseInterval } from '../../src/simulator/analytics-interval.js';
import { SimulatorError } from '../../src/simulator/errors.js';

const schema: FilterSchema = { fieldType: 'TestDimension', dimensions: ['queueId', 'mediaType', 'userId'] };
const entity = (values: Record<string, string[]>) => (dimension: string) => values[dimension] ?? [];
const matches = (dimension: string, value: string) => ({ type: 'dimension', dimension, operator: 'matches', value });

function rejection(input: unknown): SimulatorError {
  try {
    parseFilter(input, schema);
  } catch (error) {
    if (error instanceof SimulatorError) return error;
    throw error;
  }
  throw new Error('the filter was accepted');
}

describe('analytics filter evaluation', () => {
  const voiceOnQ1 = entity({ queueId: ['q1'], mediaType: ['voice'] });

  it('ANDs and ORs predicates', () => {
    const and = parseFilter({ type: 'and', predicates: [matches('queueId', 'q1'), matches('mediaType', 'chat')] }, schema);
    const or = parseFilter({ type: 'or', predicates: [matches('queueId', 'q1'), matches('mediaType', 'chat')] }, schema);
    expect(matchesFilter(and, voiceOnQ1)).toBe(false);
    expect(matchesFilter(or, voiceOnQ1)).toBe(true);
  });

  it('combines clauses with the filter’s own type and predicates', () => {
    const filter = parseFilter(
      {
        type: 'and',
        clauses: [
          { type: 'or', predicates: [matches('queueId', 'q1'), matches('queueId', 'q2')] },
          { type: 'or', predicates: [matches('mediaType', 'voice')] },
        ],
        predicates: [{ dimension: 'userId', operator: 'notExists' }],
      },
      schema,
    );
    expect(matchesFilter(filter, voiceOnQ1)).toBe(true);
    expect(matchesFilter(filter, entity({ queueId: ['q3'], mediaType: ['voice'] }))).toBe(false);
    expect(matchesFilter(filter, entity({ queueId: ['q2'], mediaType: ['voice'], userId: ['u1'] }))).toBe(false);
  });

  it('treats exists and notExists as presence tests, and matches against any of several values', () => {
    const exists = parseFilter({ type: 'and', predicates: [{ dimension: 'userId', operator: 'exists' }] }, schema);
    expect(matchesFilter(exists, entity({ userId: ['u1'] }))).toBe(true);
    expect(matchesFilter(exists, voiceOnQ1)).toBe(false);
    const multi = parseFilter({ type: 'and', predicates: [matches('queueId', 'q2')] }, schema);
    expect(matchesFilter(multi, entity({ queueId: ['q1', 'q2'] }))).toBe(true);
  });

  it('defaults the operator to matches, and needs a value for it', () => {
    const filter = parseFilter({ type: 'or', predicates: [{ dimension: 'queueId', value: 'q1' }] }, schema);
    expect(matchesFilter(filter, voiceOnQ1)).toBe(true);
    expect(rejection({ type: 'or', predicates: [{ dimension: 'queueId' }] })).toMatchObject({ status: 400, code: 'bad.request' });
  });

  it('rejects nested clauses, unknown dimensions, operators and types, and empty filters', () => {
    expect(rejection({ type: 'and', clauses: [{ type: 'or', clauses: [{ type: 'or', predicates: [matches('queueId', 'q')] }] }] }).message).toMatch(/nested/);
    const dimension = rejection({ type: 'and', predicates: [matches('divisionId', 'd1')] });
    expect(dimension).toMatchObject({ status: 400, code: 'invalid.value' });
    expect(dimension.message).toBe('Value [divisionId] is not valid for field type [TestDimension]. Allowable values are: queueId, mediaType, userId');
    expect(rejection({ type: 'and', predicates: [{ dimension: 'queueId', operator: 'contains', value: 'q' }] }).code).toBe('invalid.value');
    expect(rejection({ type: 'xor', predicates: [matches('queueId', 'q')] }).code).toBe('invalid.value');
    expect(rejection({ type: 'and' }).code).toBe('bad.request');
    expect(rejection({ type: 'and', predicates: [{ type: 'metric', metric: 'tHandle' }] }).code).toBe('bad.request');
    expect(() => parseFilterList({ type: 'and' }, schema, 'segmentFilters')).toThrow(/must be an array/);
  });

  it('agrees with every/some over any predicates and values (property)', () => {
    const value = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(value, { minLength: 1, maxLength: 5 }), fc.array(value, { maxLength: 3 }), (type, wanted, present) => {
        const filter = parseFilter({ type, predicates: wanted.map((v) => matches('queueId', v)) }, schema);
        const expected = type === 'and' ? wanted.every((v) => present.includes(v)) : wanted.some((v) => present.includes(v));
        return matchesFilter(filter, entity({ queueId: present })) === expected;
      }),
    );
  });
});

describe('analytics intervals', () => {
  it('parses start/end and rejects reversed or malformed intervals', () => {
    expect(parseInterval('2026-11-01T00:00:00Z/2026-11-02T00:00:00.000Z')).toEqual({ start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 10, 2) });
    expect(() => parseInterval('2026-11-02T00:00:00Z/2026-11-01T00:00:00Z')).toThrow(/ends before/);
    expect(() => parseInterval('yesterday')).toThrow(SimulatorError);
    expect(() => parseInterval(undefined)).toThrow(/required/);
  });

  it('reads ISO periods and buckets moments by them', () => {
    expect(parseGranularity('PT30M')).toBe(1_800_000);
    expect(parseGranularity('P1D')).toBe(86_400_000);
    expect(parseGranularity(undefined)).toBeUndefined();
    expect(() => parseGranularity('P')).toThrow(SimulatorError);
    const interval = { start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 10, 1, 12) };
    expect(bucketOf(Date.UTC(2026, 10, 1, 7, 5), interval, 3_600_000 * 5)).toEqual({ start: Date.UTC(2026, 10, 1, 5), end: Date.UTC(2026, 10, 1, 10) });
    expect(bucketOf(Date.UTC(2026, 10, 1, 11), interval, 3_600_000 * 5)).toEqual({ start: Date.UTC(2026, 10, 1, 10), end: interval.end });
  });
});
