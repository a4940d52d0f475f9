import { z } from 'zod';
import type { Filter } from './analytics-filter.js';

/**
 * Request bodies of the analytics queries the proxy rewrites, true to Genesys's request models
 * (ConversationQuery, AsyncConversationQuery, ConversationAggregationQuery, UserAggregationQuery,
 * QueueObservationQuery, UserObservationQuery): a field the model requires is required here, an
 * optional one is optional, with Genesys's default applied. Objects are strict: a field the proxy
 * does not know could change what a query selects, so it is refused, not passed on. Which
 * dimensions a filter may use is decided by `checkAnalyticsFilters`, not here.
 */

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a Genesys identifier');
const interval = z.string().max(100).regex(/^[^/\s]+\/[^/\s]+$/, 'must be an ISO-8601 interval start/end');
const numericRange = z.strictObject({ gt: z.number().optional(), gte: z.number().optional(), lt: z.number().optional(), lte: z.number().optional() });
const filterType = z.enum(['and', 'or']);

/** What a predicate of each filter model may carry (Genesys's models differ in this). */
type PredicateFields = 'dimension' | 'metric' | 'property';

function predicateSchema(fields: readonly PredicateFields[]) {
  const has = (field: PredicateFields) => fields.includes(field);
  return z
    .strictObject({
      type: z.enum(['dimension', 'property', 'metric']).optional(),
      ...(has('dimension') ? { dimension: name.optional() } : {}),
      ...(has('property') ? { propertyType: z.enum(['bool', 'integer', 'real', 'date', 'string', 'uuid']).optional(), property: z.string().min(1).max(256).optional() } : {}),
      ...(has('metric') ? { metric: name.optional() } : {}),
      operator: z.enum(['matches', 'exists', 'notExists']).optional(),
      value: z.string().max(1024).optional(),
      range: numericRange.optional(),
    })
    .refine((p) => fields.includes(p.type ?? (has('dimension') ? 'dimension' : 'metric')), 'this filter does not take predicates of that type')
    .refine((p) => (p.type ?? 'dimension') !== 'dimension' || !has('dimension') || (p as { dimension?: string }).dimension !== undefined, 'a dimension predicate needs a dimension')
    .refine((p) => p.type !== 'metric' || (p as { metric?: string }).metric !== undefined, 'a metric predicate needs a metric')
    .refine((p) => (p.operator ?? 'matches') !== 'matches' || p.value !== undefined || p.range !== undefined, 'a matches predicate needs a value or a range');
}

/** A filter of one Genesys model: clauses hold predicates only (Genesys does not nest them). */
export function filterSchema(fields: readonly PredicateFields[] = ['dimension']): z.ZodType<Filter> {
  const predicates = z.array(predicateSchema(fields)).max(100);
  const clause = z.strictObject({ type: filterType, predicates });
  return z
    .strictObject({ type: filterType, clauses: z.array(clause).max(50).optional(), predicates: predicates.optional() })
    .refine((f) => (f.clauses?.length ?? 0) + (f.predicates?.length ?? 0) > 0, 'a filter needs at least one clause or predicate') as z.ZodType<Filter>;
}

const dimensionFilter = filterSchema(['dimension']);
const metrics = z.array(name).min(1).max(100);
const filterList = (fields: readonly PredicateFields[]) => z.array(filterSchema(fields)).max(20).optional();
const view = z.strictObject({
  target: name,
  name: z.string().min(1).max(256),
  function: z.string().min(1).max(64),
  range: z.strictObject({ gte: z.number().optional(), lt: z.number().optional() }).optional(),
});

export const queueObservationQuerySchema = z.strictObject({ filter: dimensionFilter, metrics, detailMetrics: metrics.optional() });
export const userObservationQuerySchema = z.strictObject({ filter: dimensionFilter, metrics, detailMetrics: metrics.optional() });

const aggregateFields = {
  interval,
  granularity: z.string().max(32).optional(),
  timeZone: z.string().max(64).optional(),
  groupBy: z.array(name).max(10).optional(),
  filter: dimensionFilter.optional(),
  metrics,
  flattenMultivaluedDimensions: z.boolean().optional(),
  views: z.array(view).max(50).optional(),
  alternateTimeDimension: z.string().max(64).optional(),
};

export const conversationAggregateQuerySchema = z.strictObject({
  ...aggregateFields,
  queryType: z.enum(['groupBy', 'topN', 'bottomN']).optional(),
  sortMetric: z.strictObject({ name, function: z.string().min(1).max(64) }).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

export const userAggregateQuerySchema = z.strictObject(aggregateFields);

const detailFields = {
  interval,
  conversationFilters: filterList(['dimension', 'metric']),
  segmentFilters: filterList(['dimension', 'property', 'metric']),
  evaluationFilters: filterList(['dimension', 'metric']),
  surveyFilters: filterList(['dimension', 'metric']),
  resolutionFilters: filterList(['metric']),
  order: z.enum(['asc', 'desc', 'unordered']).optional(),
  orderBy: z.enum(['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd']).optional(),
};

/** Genesys's defaults for a details page: 25 conversations, the first page. */
export const DEFAULT_DETAILS_PAGE_SIZE = 25;
export const MAX_DETAILS_PAGE_SIZE = 100;

/**
 * `aggregations` is refused: its facets would count conversations the tenant may not see. The
 * model marks both paging fields required, but Genesys takes either alone and defaults the other.
 */
export const conversationDetailQuerySchema = z.strictObject({
  ...detailFields,
  paging: z
    .strictObject({
      pageSize: z.number().int().min(1).max(MAX_DETAILS_PAGE_SIZE).default(DEFAULT_DETAILS_PAGE_SIZE),
      pageNumber: z.number().int().min(1).default(1),
    })
    .optional(),
});

export const asyncConversationQuerySchema = z.strictObject({
  ...detailFields,
  limit: z.number().int().min(1).optional(),
  startOfDayIntervalMatching: z.boolean().optional(),
});

export type QueueObservationQuery = z.infer<typeof queueObservationQuerySchema>;
export type UserObservationQuery = z.infer<typeof userObservationQuerySchema>;
export type ConversationAggregateQuery = z.infer<typeof conversationAggregateQuerySchema>;
export type UserAggregateQuery = z.infer<typeof userAggregateQuerySchema>;
export type ConversationDetailQuery = z.infer<typeof conversationDetailQuerySchema>;
export type AsyncConversationQuery = z.infer<typeof asyncConversationQuerySchema>;
