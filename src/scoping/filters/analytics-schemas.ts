import { z } from 'zod';
import type { Filter } from './analytics-filter.js';

/**
 * Request bodies of the analytics queries the proxy rewrites. Objects are strict: a field the
 * proxy does not know could change what a query selects, so it is refused, not passed on.
 */

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a Genesys identifier');
const interval = z.string().max(100).regex(/^[^/\s]+\/[^/\s]+$/, 'must be an ISO-8601 interval start/end');
const bound = z.union([z.string().max(64), z.number()]).optional();

function predicateSchema(dimensions: readonly string[] | undefined) {
  const dimension = dimensions ? z.enum(dimensions as [string, ...string[]]) : name;
  return z
    .strictObject({
      type: z.enum(['dimension', 'property', 'metric']).optional(),
      dimension: dimension.optional(),
      propertyType: z.enum(['bool', 'integer', 'real', 'date', 'string', 'uuid']).optional(),
      property: z.string().min(1).max(256).optional(),
      metric: name.optional(),
      operator: z.enum(['matches', 'exists', 'notExists']).optional(),
      value: z.string().max(1024).optional(),
      range: z.strictObject({ gt: bound, gte: bound, lt: bound, lte: bound }).optional(),
    })
    .refine((p) => (dimensions ? (p.type ?? 'dimension') === 'dimension' : true), 'only dimension predicates are accepted here')
    .refine((p) => (p.type ?? 'dimension') !== 'dimension' || p.dimension !== undefined, 'a dimension predicate needs a dimension')
    .refine((p) => (p.type ?? 'dimension') !== 'property' || p.property !== undefined, 'a property predicate needs a property')
    .refine((p) => (p.type ?? 'dimension') !== 'metric' || p.metric !== undefined, 'a metric predicate needs a metric')
    .refine(
      (p) => (p.operator ?? 'matches') !== 'matches' || p.value !== undefined || p.range !== undefined,
      'a matches predicate needs a value or a range',
    );
}

/** A filter whose dimension predicates may only use `dimensions` (any identifier when omitted). */
export function filterSchema(dimensions?: readonly string[]): z.ZodType<Filter> {
  const predicates = z.array(predicateSchema(dimensions)).max(100);
  const clause = z.strictObject({ type: z.enum(['and', 'or']), predicates: predicates.min(1) });
  return z
    .strictObject({ type: z.enum(['and', 'or']), clauses: z.array(clause).max(50).optional(), predicates: predicates.optional() })
    .refine((f) => (f.clauses?.length ?? 0) + (f.predicates?.length ?? 0) > 0, 'a filter needs at least one clause or predicate');
}

const metrics = z.array(name).min(1).max(100);
const filterList = z.array(filterSchema()).max(20).optional();
const view = z.strictObject({
  target: name,
  name: z.string().min(1).max(256),
  function: z.string().max(64).optional(),
  range: z.strictObject({ gte: z.number().optional(), lt: z.number().optional() }).optional(),
});

export const queueObservationQuerySchema = z.strictObject({
  filter: filterSchema(['queueId', 'mediaType']),
  metrics,
  detailMetrics: metrics.optional(),
});

export const userObservationQuerySchema = z.strictObject({
  filter: filterSchema(['userId']),
  metrics,
  detailMetrics: metrics.optional(),
});

const aggregateFields = {
  interval,
  granularity: z.string().max(32).optional(),
  timeZone: z.string().max(64).optional(),
  groupBy: z.array(name).max(10).optional(),
  metrics,
  flattenMultivaluedDimensions: z.boolean().optional(),
  views: z.array(view).max(50).optional(),
  alternateTimeDimension: z.string().max(64).optional(),
};

export const conversationAggregateQuerySchema = z.strictObject({
  ...aggregateFields,
  filter: filterSchema().optional(),
  queryType: z.enum(['groupBy', 'topN', 'bottomN']).optional(),
  sortMetric: z.strictObject({ name, function: z.string().max(64).optional() }).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

export const userAggregateQuerySchema = z.strictObject({
  ...aggregateFields,
  filter: filterSchema(['userId']).optional(),
});

const detailFields = {
  interval,
  conversationFilters: filterList,
  segmentFilters: filterList,
  evaluationFilters: filterList,
  surveyFilters: filterList,
  resolutionFilters: filterList,
  order: z.enum(['asc', 'desc', 'unordered']).optional(),
  orderBy: z.enum(['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd']).optional(),
};

/** `aggregations` is not accepted: its facets would count conversations the tenant may not see. */
export const conversationDetailQuerySchema = z.strictObject({
  ...detailFields,
  paging: z.strictObject({ pageSize: z.number().int().min(1).max(100), pageNumber: z.number().int().min(1) }).optional(),
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
