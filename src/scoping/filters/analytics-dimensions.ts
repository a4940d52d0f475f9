import { GatewayError } from '../../errors.js';
import type { ScopeFacts, TenantScope } from '../scope.js';
import { allPredicates, type Filter, type Predicate } from './analytics-filter.js';

/**
 * The one rule every analytics filter answers to. A dimension passes only when the route's
 * allowlist declares it; a dimension naming an entity passes only when every id it names is the
 * tenant's. Entity dimensions the proxy has no directory for (teams, groups, wrap-up codes, flows,
 * conversations, skills…) are not on any allowlist: an id whose owner cannot be established is
 * refused, never passed on.
 */

/** Entities the proxy can establish the owner of: from the tenant's scope or a directory. */
export type EntityKind = 'queue' | 'user' | 'division';

/** `value`: a dimension that names no entity (media type, direction, …). */
export type DimensionRule = EntityKind | 'value';
export type DimensionAllowlist = Readonly<Record<string, DimensionRule>>;

export type IsOwn = (kind: EntityKind, id: string) => boolean;

/** The tenant's ownership of an id, from its scope and the org's directories: unknown is not own. */
export function ownershipOf(scope: TenantScope, facts: ScopeFacts): IsOwn {
  return (kind, id) => {
    if (kind === 'division') return scope.divisions.has(id);
    const division = (kind === 'queue' ? facts.queues : facts.users).divisionOf(id);
    return division !== undefined && scope.divisions.has(division);
  };
}

const segmentValues = { mediaType: 'value', direction: 'value', purpose: 'value', segmentType: 'value', disconnectType: 'value' } as const;

export const CONVERSATION_AGGREGATE_DIMENSIONS: DimensionAllowlist = {
  ...segmentValues,
  originatingDirection: 'value',
  queueId: 'queue',
  userId: 'user',
  divisionId: 'division',
};

const QUEUE_OBSERVATION_DIMENSIONS: DimensionAllowlist = { queueId: 'queue', mediaType: 'value' };
const USER_DIMENSIONS: DimensionAllowlist = { userId: 'user' };

const CONVERSATION_DETAIL_DIMENSIONS: DimensionAllowlist = {
  conversationStart: 'value',
  conversationEnd: 'value',
  conversationInitiator: 'value',
  customerParticipation: 'value',
  mediaStatsMinConversationMos: 'value',
  originatingDirection: 'value',
  divisionId: 'division',
};
const SEGMENT_DETAIL_DIMENSIONS: DimensionAllowlist = { ...segmentValues, queueId: 'queue', userId: 'user' };
const EVALUATION_DETAIL_DIMENSIONS: DimensionAllowlist = { queueId: 'queue', userId: 'user', evaluatorId: 'user' };
const SURVEY_DETAIL_DIMENSIONS: DimensionAllowlist = { queueId: 'queue', userId: 'user' };

/** One filter list a body can carry: where it sits, what it may name, whether metric predicates pass. */
interface FilterSlot {
  readonly field: string;
  readonly dimensions: DimensionAllowlist;
  readonly metrics: boolean;
}

const DETAIL_SLOTS: readonly FilterSlot[] = [
  { field: 'conversationFilters', dimensions: CONVERSATION_DETAIL_DIMENSIONS, metrics: true },
  { field: 'segmentFilters', dimensions: SEGMENT_DETAIL_DIMENSIONS, metrics: true },
  { field: 'evaluationFilters', dimensions: EVALUATION_DETAIL_DIMENSIONS, metrics: true },
  { field: 'surveyFilters', dimensions: SURVEY_DETAIL_DIMENSIONS, metrics: true },
  { field: 'resolutionFilters', dimensions: {}, metrics: true },
];

/** The analytics bodies the proxy takes, and the filter lists (and `groupBy`) each carries. */
export const ANALYTICS_QUERIES = {
  conversationAggregates: { filters: [{ field: 'filter', dimensions: CONVERSATION_AGGREGATE_DIMENSIONS, metrics: false }], groupBy: CONVERSATION_AGGREGATE_DIMENSIONS },
  userAggregates: { filters: [{ field: 'filter', dimensions: USER_DIMENSIONS, metrics: false }], groupBy: USER_DIMENSIONS },
  conversationDetails: { filters: DETAIL_SLOTS },
  queueObservations: { filters: [{ field: 'filter', dimensions: QUEUE_OBSERVATION_DIMENSIONS, metrics: false }] },
  userObservations: { filters: [{ field: 'filter', dimensions: USER_DIMENSIONS, metrics: false }] },
} as const satisfies Record<string, { filters: readonly FilterSlot[]; groupBy?: DimensionAllowlist }>;

export type AnalyticsQueryKind = keyof typeof ANALYTICS_QUERIES;

/**
 * Checks every filter list (and `groupBy`) of an analytics body of the given kind: 400 for a
 * dimension, predicate type or `groupBy` the route does not declare, 403 `not.authorized` for an
 * id that is not the tenant's. The 403 names the dimension, never the id, so a foreign id and one
 * that does not exist get the same answer.
 */
export function checkAnalyticsFilters(kind: AnalyticsQueryKind, body: Readonly<Record<string, unknown>>, isOwn: IsOwn): void {
  const query: { filters: readonly FilterSlot[]; groupBy?: DimensionAllowlist } = ANALYTICS_QUERIES[kind];
  const refusals: GatewayError[] = [];
  for (const slot of query.filters) {
    const value = body[slot.field];
    const filters = value === undefined ? [] : Array.isArray(value) ? (value as Filter[]) : [value as Filter];
    for (const filter of filters) for (const predicate of allPredicates(filter)) refusals.push(...checkPredicate(predicate, slot, isOwn));
  }
  for (const dimension of (body['groupBy'] as readonly string[] | undefined) ?? []) {
    if (!query.groupBy || !Object.hasOwn(query.groupBy, dimension)) refusals.push(notAllowed('groupBy', dimension));
  }
  // A malformed request is answered as malformed whatever ids it also names.
  const invalid = refusals.find((error) => error.code === 'body.invalid');
  if (invalid) throw invalid;
  if (refusals.length > 0) throw refusals[0];
}

function checkPredicate(predicate: Predicate, slot: FilterSlot, isOwn: IsOwn): GatewayError[] {
  const type = predicate.type ?? (predicate.dimension !== undefined ? 'dimension' : 'metric');
  if (type === 'metric') return slot.metrics ? [] : [new GatewayError('body.invalid', { message: `\`${slot.field}\` takes no metric predicates.` })];
  if (type === 'property') return [new GatewayError('body.invalid', { message: `\`${slot.field}\`: property predicates cannot be checked by the proxy and are not accepted.` })];
  const dimension = predicate.dimension ?? '';
  if (!Object.hasOwn(slot.dimensions, dimension)) return [notAllowed(slot.field, dimension)];
  const rule = slot.dimensions[dimension]!;
  if (rule === 'value') return [];
  if (predicate.range !== undefined) return [new GatewayError('body.invalid', { message: `\`${slot.field}\`: \`${dimension}\` names an entity; it takes a value, not a range.` })];
  const operator = predicate.operator ?? 'matches';
  if (operator !== 'matches' || predicate.value === undefined) return [];
  if (isOwn(rule, predicate.value)) return [];
  return [new GatewayError('not.authorized', { message: `The filter names a ${dimension} outside the tenant’s divisions.` })];
}

function notAllowed(field: string, dimension: string): GatewayError {
  return new GatewayError('body.invalid', {
    message: `\`${field}\` cannot use the dimension \`${dimension}\` through the proxy: only dimensions whose values it can check are accepted.`,
  });
}
