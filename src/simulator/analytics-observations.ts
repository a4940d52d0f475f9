import { ORG_PRESENCES, ROUTING_STATUSES, presenceOf, routingStatusOf, systemToOrganizationMappings } from './agent-state.js';
import { matchesFilter, parseFilter, type AnalyticsFilter, type FilterSchema } from './analytics-filter.js';
import { badRequest, invalidValue } from './errors.js';
import { MEDIA_TYPES } from './model.js';
import type { SeededOrg } from './org.js';
import { hash32 } from './prng.js';
import { isJoined } from './seed-org.js';

/** Observations have no divisionId dimension: a divisionId predicate fails enum validation. */
export const QUEUE_OBSERVATION_DIMENSIONS: FilterSchema = { fieldType: 'QueueObservationQueryPredicateDimension', dimensions: ['mediaType', 'queueId'] };
export const USER_OBSERVATION_DIMENSIONS: FilterSchema = { fieldType: 'UserObservationQueryPredicateDimension', dimensions: ['userId'] };

export const QUEUE_OBSERVATION_METRICS = ['oActiveUsers', 'oAlerting', 'oInteracting', 'oMemberUsers', 'oOffQueueUsers', 'oOnQueueUsers', 'oUserPresences', 'oUserRoutingStatuses', 'oWaiting'];
export const USER_OBSERVATION_METRICS = ['oActiveQueues', 'oMemberQueues', 'oUserPresences', 'oUserRoutingStatuses'];

/** Metrics observed per queue and media type; the others describe the queue's agents, per queue. */
const MEDIA_METRICS = new Set(['oAlerting', 'oInteracting', 'oWaiting']);
const PRESENCE_METRICS = new Set(['oUserPresences', 'oOffQueueUsers']);

export interface ObservationQuery {
  readonly filter: AnalyticsFilter;
  readonly metrics: readonly string[];
}

interface MetricData {
  metric: string;
  qualifier?: string;
  stats: { count: number };
}

export function parseObservationQuery(body: Record<string, unknown>, schema: FilterSchema, metricNames: readonly string[], metricField: string): ObservationQuery {
  if (body['filter'] === undefined) throw badRequest('filter is required.');
  const filter = parseFilter(body['filter'], schema);
  const metrics = body['metrics'];
  if (!Array.isArray(metrics) || metrics.length === 0) throw badRequest('metrics must name at least one metric.');
  const detailMetrics = body['detailMetrics'] ?? [];
  if (!Array.isArray(detailMetrics)) throw badRequest('detailMetrics must be an array.');
  for (const metric of [...metrics, ...detailMetrics]) {
    if (typeof metric !== 'string' || !metricNames.includes(metric)) throw invalidValue(String(metric), metricField, metricNames);
  }
  return { filter, metrics: metrics as string[] };
}

function countBy(keys: readonly string[], metric: string): MetricData[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()].map(([qualifier, count]) => ({ metric, qualifier, stats: { count } }));
}

function agentMetric(metric: string, members: readonly string[], joined: readonly string[]): MetricData[] {
  const onQueue = joined.filter((user) => routingStatusOf(user).status !== 'OFF_QUEUE');
  switch (metric) {
    case 'oMemberUsers':
      return [{ metric, stats: { count: members.length } }];
    case 'oActiveUsers':
      return [{ metric, stats: { count: joined.length } }];
    case 'oOnQueueUsers':
      return countBy(onQueue.map((user) => routingStatusOf(user).status), metric);
    case 'oOffQueueUsers':
      return countBy(joined.filter((user) => !onQueue.includes(user)).map(presenceOf), metric);
    case 'oUserRoutingStatuses':
      return countBy(members.map((user) => routingStatusOf(user).status), metric);
    default:
      return countBy(members.map(presenceOf), metric);
  }
}

export function queueObservations(org: SeededOrg, query: ObservationQuery): Record<string, unknown> {
  const mediaMetrics = query.metrics.filter((metric) => MEDIA_METRICS.has(metric));
  const agentMetrics = query.metrics.filter((metric) => !MEDIA_METRICS.has(metric));
  const results: { group: Record<string, string>; data: MetricData[] }[] = [];
  for (const queue of org.queues) {
    const queueValues = (dimension: string): readonly string[] => (dimension === 'queueId' ? [queue.id] : dimension === 'mediaType' ? MEDIA_TYPES : []);
    if (agentMetrics.length > 0 && matchesFilter(query.filter, queueValues)) {
      const members = org.queueMembers.get(queue.id) ?? [];
      const joined = members.filter((user) => isJoined(queue.id, user));
      results.push({ group: { queueId: queue.id }, data: agentMetrics.flatMap((metric) => agentMetric(metric, members, joined)) });
    }
    if (mediaMetrics.length === 0) continue;
    for (const mediaType of MEDIA_TYPES) {
      const values = (dimension: string): readonly string[] => (dimension === 'queueId' ? [queue.id] : dimension === 'mediaType' ? [mediaType] : []);
      if (!matchesFilter(query.filter, values)) continue;
      results.push({
        group: { queueId: queue.id, mediaType },
        data: mediaMetrics.map((metric) => ({ metric, stats: { count: hash32(`${queue.id}|${mediaType}|${metric}`) % 5 } })),
      });
    }
  }
  const withPresence = query.metrics.some((metric) => PRESENCE_METRICS.has(metric));
  return { ...(withPresence ? { systemToOrganizationMappings: systemToOrganizationMappings() } : {}), results };
}

export function userObservations(org: SeededOrg, query: ObservationQuery): Record<string, unknown> {
  const memberOf = new Map<string, string[]>();
  for (const [queue, members] of org.queueMembers) {
    for (const user of members) {
      const queues = memberOf.get(user);
      if (queues) queues.push(queue);
      else memberOf.set(user, [queue]);
    }
  }
  const results = org.users
    .filter((user) => matchesFilter(query.filter, (dimension) => (dimension === 'userId' ? [user.id] : [])))
    .map((user) => {
      const queues = memberOf.get(user.id) ?? [];
      const data = query.metrics.map((metric): MetricData => {
        if (metric === 'oMemberQueues') return { metric, stats: { count: queues.length } };
        if (metric === 'oActiveQueues') return { metric, stats: { count: queues.filter((queue) => isJoined(queue, user.id)).length } };
        if (metric === 'oUserRoutingStatuses') return { metric, qualifier: routingStatusOf(user.id).status, stats: { count: 1 } };
        return { metric, qualifier: presenceOf(user.id), stats: { count: 1 } };
      });
      return { group: { userId: user.id }, data };
    });
  const withPresence = query.metrics.includes('oUserPresences');
  return { ...(withPresence ? { systemToOrganizationMappings: systemToOrganizationMappings() } : {}), results };
}

/** Users' time in each status, one row per user and working day of the seeded period. */
export function userStatusRows(org: SeededOrg): { at: number; values: (dimension: string) => readonly string[]; metrics: { name: string; value: number; qualifier: string }[] }[] {
  const presences = Object.keys(ORG_PRESENCES);
  return org.users.flatMap((user) =>
    Array.from({ length: 19 }, (_, day) => {
      const at = Date.UTC(2026, 10, 1 + day, 9);
      const hash = hash32(`status:${user.id}:${day}`);
      return {
        at,
        values: (dimension: string) => (dimension === 'userId' ? [user.id] : []),
        metrics: [
          { name: 'tSystemPresence', qualifier: presences[hash % presences.length]!, value: 3_600_000 + (hash % 7_200_000) },
          { name: 'tOrganizationPresence', qualifier: presenceOf(user.id), value: 3_600_000 + (hash % 5_400_000) },
          { name: 'tAgentRoutingStatus', qualifier: ROUTING_STATUSES[hash % ROUTING_STATUSES.length]!, value: 1_800_000 + (hash % 3_600_000) },
        ],
      };
    }),
  );
}
