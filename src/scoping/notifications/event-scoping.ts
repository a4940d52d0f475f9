import { scopeObservationData, USER_STATE_METRICS } from '../filters/observation-data.js';
import { isRecord, UnexpectedShapeError } from '../scope.js';
import { project, type Shape } from '../agent-state/projection.js';
import type { Ownership } from './topic-scoping.js';
import { parseTopic, type ParsedTopic } from './topics.js';

/** An event as Genesys sends it on a channel. */
export interface NotificationEvent {
  readonly topicName: string;
  readonly version?: string;
  readonly eventBody: unknown;
  readonly metadata?: unknown;
}

export type DropReason = 'unknown-topic' | 'foreign-entity' | 'unjudgeable-body' | 'foreign-content';

export type EventVerdict =
  | { readonly kind: 'deliver'; readonly event: NotificationEvent }
  | { readonly kind: 'drop'; readonly reason: DropReason };

/** What scoping an event needs to know about the tenant it would go to. */
export interface EventScope {
  readonly own: Ownership;
  readonly divisions: ReadonlySet<string>;
}

const presenceDefinition: Shape = { id: 'scalar', systemPresence: 'scalar' };
const routingStatus: Shape = { status: 'scalar', startTime: 'scalar' };
const mediaSummary: Shape = { contactCenter: { active: 'scalar', acw: 'scalar' }, enterprise: { active: 'scalar', acw: 'scalar' } };

const USER_BODIES: Readonly<Record<string, Shape>> = {
  presence: { source: 'scalar', presenceDefinition, primary: 'scalar', message: 'scalar', modifiedDate: 'scalar', futurePresenceDefinition: presenceDefinition },
  routingStatus: { id: 'scalar', routingStatus },
  activity: {
    id: 'scalar',
    routingStatus,
    presence: { presenceDefinition, presenceMessage: 'scalar', modifiedDate: 'scalar' },
    outOfOffice: { active: 'scalar', modifiedDate: 'scalar' },
    activeQueueIds: ['scalar'],
    dateActiveQueuesChanged: 'scalar',
  },
  conversationsummary: {
    userId: 'scalar',
    ...Object.fromEntries(['call', 'callback', 'email', 'message', 'chat', 'socialExpression', 'video'].map((media) => [media, mediaSummary])),
  },
};

/** The field of a user event's body that names the user, where the body has one. */
const USER_ID_FIELD: Readonly<Record<string, string>> = { routingStatus: 'id', activity: 'id', conversationsummary: 'userId' };

const mediaSession: Shape = {
  id: 'scalar', state: 'scalar', direction: 'scalar', held: 'scalar', recording: 'scalar', disconnectType: 'scalar',
  startAlertingTime: 'scalar', connectedTime: 'scalar', disconnectedTime: 'scalar', provider: 'scalar',
};
const participant: Shape = {
  id: 'scalar', name: 'scalar', userId: 'scalar', queueId: 'scalar', purpose: 'scalar', address: 'scalar', startTime: 'scalar',
  connectedTime: 'scalar', endTime: 'scalar', held: 'scalar', wrapupRequired: 'scalar', wrapupExpected: 'scalar',
  wrapup: { code: 'scalar', durationSeconds: 'scalar', endTime: 'scalar' },
  ...Object.fromEntries(['calls', 'callbacks', 'chats', 'emails', 'messages'].map((media) => [media, [mediaSession]])),
};
const conversation: Shape = {
  id: 'scalar', maxParticipants: 'scalar', recordingState: 'scalar', participants: [participant],
  divisions: [{ division: { id: 'scalar' }, entities: [{ id: 'scalar' }] }],
};

/**
 * A queue observation event's figures are scoped by the same rule as the observations query's
 * (`scopeObservationData`): a queue of the tenant's may have another tenant's agents as members, so
 * a figure that counts agents (`oOnQueueUsers`, `oUserRoutingStatuses`, …) is recounted from the
 * detail entries that come with it, the tenant's own agents only, or left out when they do not
 * account for it. Genesys's events carry no detail entries, so in practice those figures are left
 * out of events; agents' own state is available per agent (`v2.users.{id}.routingStatus`, …).
 * Detail entries themselves never go out in events.
 */
export const QUEUE_OBSERVATION_METRICS: ReadonlySet<string> = new Set(['oWaiting', 'oInteracting', 'oAlerting', ...USER_STATE_METRICS]);
const NO_DETAIL_ENTRIES: ReadonlySet<string> = new Set();

/**
 * A figure goes out in an event only when its qualifier, if any, is an enumeration word (a media
 * type, a routing status): an id (a presence definition, a user) cannot be checked here.
 */
const ENUM_WORD = /^[A-Za-z][A-Za-z_]{0,39}$/;

/**
 * Decides, for one tenant, whether an upstream event may reach it and in what form. Everything
 * the proxy cannot judge is dropped: an unknown topic, a body of an unexpected shape, a body that
 * names another user or queue than its topic.
 */
export function scopeEvent(event: NotificationEvent, scope: EventScope): EventVerdict {
  const topic = parseTopic(event.topicName);
  if (!topic) return drop('unknown-topic');
  if (!scope.own(topic.entity, topic.entityId)) return drop('foreign-entity');
  if (!isRecord(event.eventBody)) return drop('unjudgeable-body');
  const body = topic.entity === 'user' ? userBody(topic, event.eventBody, scope) : topic.suffix === 'observations' ? observationBody(topic, event.eventBody, scope) : conversationBody(topic, event.eventBody, scope);
  if (typeof body === 'string') return drop(body as DropReason);
  return {
    kind: 'deliver',
    event: { topicName: event.topicName, ...(typeof event.version === 'string' ? { version: event.version } : {}), eventBody: body, ...metadataOf(event.metadata) },
  };
}

function drop(reason: DropReason): EventVerdict {
  return { kind: 'drop', reason };
}

function metadataOf(metadata: unknown): { metadata?: { CorrelationId: string } } {
  return isRecord(metadata) && typeof metadata['CorrelationId'] === 'string' ? { metadata: { CorrelationId: metadata['CorrelationId'] } } : {};
}

function userBody(topic: ParsedTopic, body: Record<string, unknown>, scope: EventScope): object | DropReason {
  const idField = USER_ID_FIELD[topic.suffix];
  if (idField !== undefined && body[idField] !== undefined && body[idField] !== topic.entityId) return 'foreign-content';
  const projected = project(body, USER_BODIES[topic.suffix]!) as Record<string, unknown>;
  if (Array.isArray(projected['activeQueueIds'])) {
    projected['activeQueueIds'] = (projected['activeQueueIds'] as unknown[]).filter((id) => typeof id === 'string' && scope.own('queue', id));
  }
  return projected;
}

function observationBody(topic: ParsedTopic, body: Record<string, unknown>, scope: EventScope): object | DropReason {
  const group = body['group'];
  const data = body['data'];
  if (!isRecord(group) || !Array.isArray(data)) return 'unjudgeable-body';
  if (group['queueId'] !== topic.entityId) return 'foreign-content';
  const keptGroup: Record<string, string> = { queueId: topic.entityId };
  if (typeof group['mediaType'] === 'string') keptGroup['mediaType'] = group['mediaType'];
  const options = { ownUser: (id: string) => scope.own('user', id), userStateFromEntries: true, detailMetrics: NO_DETAIL_ENTRIES };
  const keptData = [];
  for (const entry of data) {
    if (!isRecord(entry) || !Array.isArray(entry['metrics'])) return 'unjudgeable-body';
    let scoped: Record<string, unknown>[];
    try {
      scoped = scopeObservationData(entry['metrics'], options);
    } catch (error) {
      if (error instanceof UnexpectedShapeError) return 'unjudgeable-body';
      throw error;
    }
    const metrics = scoped.filter(
      (metric) => QUEUE_OBSERVATION_METRICS.has(metric['metric'] as string) && (metric['qualifier'] === undefined || ENUM_WORD.test(metric['qualifier'] as string)),
    );
    if (metrics.length > 0) keptData.push({ ...(typeof entry['interval'] === 'string' ? { interval: entry['interval'] } : {}), metrics });
  }
  return keptData.length > 0 ? { group: keptGroup, data: keptData } : 'foreign-content';
}

/**
 * A queue conversation goes out only when every division it is in is the tenant's and every
 * participant's user and queue is the tenant's (a transfer to another BPO withholds the event).
 */
function conversationBody(topic: ParsedTopic, body: Record<string, unknown>, scope: EventScope): object | DropReason {
  const divisions = body['divisions'];
  const participants = body['participants'];
  if (!Array.isArray(divisions) || divisions.length === 0 || !Array.isArray(participants)) return 'unjudgeable-body';
  for (const entry of divisions) {
    const id = isRecord(entry) && isRecord(entry['division']) ? entry['division']['id'] : undefined;
    if (typeof id !== 'string') return 'unjudgeable-body';
    if (!scope.divisions.has(id)) return 'foreign-content';
  }
  let namesTopicQueue = false;
  for (const person of participants) {
    if (!isRecord(person)) return 'unjudgeable-body';
    for (const [field, entity] of [['userId', 'user'], ['queueId', 'queue']] as const) {
      const id = person[field];
      if (id === undefined) continue;
      if (typeof id !== 'string' || !scope.own(entity, id)) return 'foreign-content';
      if (field === 'queueId' && id === topic.entityId) namesTopicQueue = true;
    }
  }
  if (!namesTopicQueue) return 'foreign-content';
  return project(body, conversation) as object;
}
