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
  /** Metrics whose entries (one per agent or conversation) are listed under `observations`. */
  readonly detailMetrics: readonly string[];
}

/** Genesys lists at most this many entries per figure and marks the figure `truncated`. */
export const MAX_OBSERVATION_ENTRIES = 100;

interface MetricData {
  metric: string;
  qualifier?: string;
  stats: { count: number };
  truncated?: boolean;
  observations?: Record<string, unknown>[];
}

/** When the seeded org's observations are taken. */
const OBSERVED_AT = '2026-11-20T00:00:00.000Z';

function withEntries(datum: MetricData, entries: readonly Record<string, unknown>[], detailed: boolean): MetricData {
  if (!detailed) return datum;
  const truncated = entries.length > MAX_OBSERVATION_ENTRIES;
  return { ...datum, ...(truncated ? { truncated } : {}), observations: entries.slice(0, MAX_OBSERVATION_ENTRIES) };
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
  return { filter, metrics: metrics as string[], detailMetrics: detailMetrics as string[] };
}

const agentEntry = (user: string) => ({ observationDate: OBSERVED_AT, userId: user });

/** Agents counted per qualifier; with `detailed`, each figure lists the agents it counts. */
function countBy(users: readonly string[], qualifierOf: (user: string) => string, metric: string, detailed: boolean): MetricData[] {
  const byQualifier = new Map<string, string[]>();
  for (const user of users) {
    const qualifier = qualifierOf(user);
    byQualifier.set(qualifier, [...(byQualifier.get(qualifier) ?? []), user]);
  }
  return [...byQualifier.entries()].map(([qualifier, counted]) => withEntries({ metric, qualifier, stats: { count: counted.length } }, counted.map(agentEntry), detailed));
}

function agentMetric(metric: string, members: readonly string[], joined: readonly string[], detailed: boolean): MetricData[] {
  const onQueue = joined.filter((user) => routingStatusOf(user).status !== 'OFF_QUEUE');
  const status = (user: string) => routingStatusOf(user).status;
  switch (metric) {
    case 'oMemberUsers':
      return [withEntries({ metric, stats: { count: members.length } }, members.map(agentEntry), detailed)];
    case 'oActiveUsers':
      return [withEntries({ metric, stats: { count: joined.length } }, joined.map(agentEntry), detailed)];
    case 'oOnQueueUsers':
      return countBy(onQueue, status, metric, detailed);
    case 'oOffQueueUsers':
      return countBy(joined.filter((user) => !onQueue.includes(user)), presenceOf, metric, detailed);
    case 'oUserRoutingStatuses':
      return countBy(members, status, metric, detailed);
    default:
      return countBy(members, presenceOf, metric, detailed);
  }
}

/**
 * A waiting, alerting or interacting conversation of the queue; interacting and alerting ones are
 * with one of the queue's members of its own division (so that the figure and its entries stay
 * the same when other divisions' members leave the queue).
 */
function conversationEntry(queue: string, mediaType: string, metric: string, index: number, members: readonly string[]): Record<string, unknown> {
  const hash = hash32(`${queue}|${mediaType}|${metric}|${index}`);
  const id = (salt: string) => {
    const hex = hash32(`${salt}:${queue}|${mediaType}|${metric}|${index}`).toString(16).padStart(8, '0');
    return `e${hex.slice(1)}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
  };
  const agent = metric !== 'oWaiting' && members.length > 0 ? { userId: members[hash % members.length]!, participantName: 'Agent' } : {};
  return { observationDate: OBSERVED_AT, conversationId: id('c'), sessionId: id('s'), direction: 'inbound', routingPriority: 0, ani: 'tel:+15550000000', ...agent };
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
      results.push({ group: { queueId: queue.id }, data: agentMetrics.flatMap((metric) => agentMetric(metric, members, joined, query.detailMetrics.includes(metric))) });
    }
    if (mediaMetrics.length === 0) continue;
    for (const mediaType of MEDIA_TYPES) {
      const values = (dimension: string): readonly string[] => (dimension === 'queueId' ? [queue.id] : dimension === 'mediaType' ? [mediaType] : []);
      if (!matchesFilter(query.filter, values)) continue;
      results.push({
        group: { queueId: queue.id, mediaType },
        data: mediaMetrics.map((metric) => {
          const count = hash32(`${queue.id}|${mediaType}|${metric}`) % 5;
          const members = (org.queueMembers.get(queue.id) ?? []).filter((member) => org.user(member)?.division.id === queue.division.id);
          const entries = Array.from({ length: count }, (_, index) => conversationEntry(queue.id, mediaType, metric, index, members));
          return withEntries({ metric, stats: { count } }, entries, query.detailMetrics.includes(metric));
        }),
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
