import fc from 'fast-check';
import { ANALYTICS_QUERIES, checkAnalyticsFilters, ownershipOf, type AnalyticsQueryKind } from '../../../src/scoping/filters/analytics-dimensions.js';
import type { Filter, Predicate } from '../../../src/scoping/filters/analytics-filter.js';
import { GatewayError } from '../../../src/errors.js';
import { entry, factsOf, scopeOf } from '../../support/scoping.js';

const facts = factsOf([entry('qa', 'A'), entry('qc', 'C')], [entry('ua', 'A'), entry('uc', 'C')]);
const isOwn = ownershipOf(scopeOf('A'), facts);
const kinds = Object.keys(ANALYTICS_QUERIES) as AnalyticsQueryKind[];
const ENTITY_VALUES = { queue: ['qa', 'qc', 'q-unknown'], user: ['ua', 'uc', 'u-unknown'], division: ['A', 'C', 'Z'] } as const;
const OWN: Readonly<Record<string, string>> = { queue: 'qa', user: 'ua', division: 'A' };

/** The outcome the one rule must give a body: the first refusal's code, or 'ok'. */
function outcome(kind: AnalyticsQueryKind, body: Record<string, unknown>): string {
  try {
    checkAnalyticsFilters(kind, body, isOwn);
    return 'ok';
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return `${error.code}|${error.message}`;
  }
}

const predicateArb = (dimensions: readonly string[]): fc.Arbitrary<Predicate> =>
  fc.oneof(
    fc.constantFrom(...dimensions, 'wrapUpCode', 'teamId', 'flowId', 'conversationId', 'groupId').chain((dimension) =>
      fc.record({ dimension: fc.constant(dimension), value: fc.constantFrom('voice', ...Object.values(ENTITY_VALUES).flat()), operator: fc.constantFrom('matches', 'exists', undefined) }),
    ),
    fc.record({ type: fc.constant('metric' as const), metric: fc.constant('tHandle'), range: fc.constant({ gt: 1 }) }),
  );

describe('the one rule for analytics filters', () => {
  it('for every route and random filters: 400 for an undeclared dimension, else 403 for any id not the tenant’s, the same for foreign and unknown ids', () => {
    const caseArb = fc.constantFrom(...kinds).chain((kind) => {
      const slots = ANALYTICS_QUERIES[kind].filters;
      const dimensions = [...new Set(slots.flatMap((slot) => Object.keys(slot.dimensions)))];
      const filterArb: fc.Arbitrary<Filter> = fc.record({ type: fc.constantFrom('and' as const, 'or' as const), predicates: fc.array(predicateArb(dimensions.length ? dimensions : ['queueId']), { minLength: 1, maxLength: 4 }) });
      return fc.tuple(fc.constant(kind), fc.constantFrom(...slots.map((slot) => slot.field)), filterArb);
    });
    fc.assert(
      fc.property(caseArb, ([kind, field, filter]) => {
        const slot = ANALYTICS_QUERIES[kind].filters.find((s) => s.field === field)!;
        const body = { [field]: field === 'filter' ? filter : [filter] };
        const result = outcome(kind, body);
        const predicates = filter.predicates!;
        const undeclared = predicates.some((p) => (p.type === 'metric' ? !slot.metrics : !Object.hasOwn(slot.dimensions, p.dimension!)));
        const foreign = predicates.some((p) => {
          const rule = p.dimension === undefined ? undefined : (slot.dimensions as Record<string, string>)[p.dimension];
          return rule !== undefined && rule !== 'value' && (p.operator ?? 'matches') === 'matches' && OWN[rule] !== p.value;
        });
        if (undeclared) expect(result.startsWith('body.invalid|')).toBe(true);
        else if (foreign) expect(result).toMatch(/^not\.authorized\|The filter names a \w+ outside the tenant’s divisions\.$/);
        else expect(result).toBe('ok');
        // An unknown id is answered exactly as a foreign one.
        const swapped = JSON.parse(JSON.stringify(body).replace(/"qc"/g, '"q-unknown"').replace(/"uc"/g, '"u-unknown"').replace(/"C"/g, '"Z"'));
        expect(outcome(kind, swapped)).toBe(result);
      }),
      { seed: 1130, numRuns: 600 },
    );
  });

  it('checks every filter list of a details body, not just the conversation filters', () => {
    for (const field of ['segmentFilters', 'evaluationFilters', 'surveyFilters']) {
      expect(outcome('conversationDetails', { [field]: [{ type: 'and', predicates: [{ dimension: 'queueId', value: 'qc' }] }] })).toMatch(/^not\.authorized/);
      expect(outcome('conversationDetails', { [field]: [{ type: 'and', clauses: [{ type: 'or', predicates: [{ dimension: 'userId', value: 'uc' }] }] }] })).toMatch(/^not\.authorized/);
    }
    expect(outcome('conversationDetails', { resolutionFilters: [{ type: 'and', predicates: [{ dimension: 'queueId', value: 'qa' }] }] })).toMatch(/^body\.invalid/);
    expect(outcome('conversationDetails', { segmentFilters: [{ type: 'and', predicates: [{ type: 'property', property: 'x', value: 'y' }] }] })).toMatch(/^body\.invalid/);
    expect(outcome('conversationDetails', { segmentFilters: [{ type: 'and', predicates: [{ dimension: 'queueId', range: { gt: 1 } }] }] })).toMatch(/^body\.invalid/);
  });

  it('checks groupBy against the route’s allowlist', () => {
    expect(outcome('conversationAggregates', { groupBy: ['queueId', 'mediaType', 'divisionId'] })).toBe('ok');
    expect(outcome('conversationAggregates', { groupBy: ['wrapUpCode'] })).toMatch(/^body\.invalid/);
    expect(outcome('userAggregates', { groupBy: ['queueId'] })).toMatch(/^body\.invalid/);
  });
});
