/**
 * Notification topics a scheduler needs, and nothing else. A topic names one user or one queue
 * in its id; that id is what scoping checks, since most event bodies carry no division at all.
 */

export type TopicEntity = 'user' | 'queue';

export interface TopicKind {
  readonly entity: TopicEntity;
  /** `v2.users.{id}.presence` → `presence`; the part after the entity id. */
  readonly suffix: string;
}

export interface ParsedTopic {
  /** The expanded topic name, as events carry it. */
  readonly name: string;
  readonly entity: TopicEntity;
  readonly entityId: string;
  readonly suffix: string;
}

const USER_PREFIX = 'v2.users.';
const QUEUE_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  'v2.analytics.queues.': ['observations'],
  'v2.routing.queues.': ['conversations', 'conversations.calls', 'conversations.callbacks', 'conversations.chats', 'conversations.emails', 'conversations.messages'],
};
const USER_SUFFIXES = ['presence', 'routingStatus', 'activity', 'conversationsummary'];

/** The topic templates the proxy serves, for `availabletopics` and the README. */
export const SUPPORTED_TOPICS: readonly string[] = [
  ...USER_SUFFIXES.map((suffix) => `${USER_PREFIX}{id}.${suffix}`),
  ...Object.entries(QUEUE_PREFIXES).flatMap(([prefix, suffixes]) => suffixes.map((suffix) => `${prefix}{id}.${suffix}`)),
];

/** Genesys's documented bound on a combined topic. */
export const MAX_COMBINED_TOPIC_LENGTH = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One expanded topic name, or undefined when it is not a supported kind with a well-formed id. */
export function parseTopic(name: string): ParsedTopic | undefined {
  const prefixes: [string, TopicEntity, readonly string[]][] = [
    [USER_PREFIX, 'user', USER_SUFFIXES],
    ...Object.entries(QUEUE_PREFIXES).map(([prefix, suffixes]): [string, TopicEntity, readonly string[]] => [prefix, 'queue', suffixes]),
  ];
  for (const [prefix, entity, suffixes] of prefixes) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const entityId = rest.slice(0, 36);
    const suffix = rest.slice(37);
    if (!UUID.test(entityId) || rest[36] !== '.' || !suffixes.includes(suffix)) return undefined;
    return { name, entity, entityId, suffix };
  }
  return undefined;
}

/**
 * A topic as a tenant may write it: plain, or combined (`v2.users.{id}?presence&routingStatus`),
 * which is expanded to one topic per suffix before anything is checked. Undefined when any part
 * is not a supported topic: a combined topic is accepted or refused whole.
 */
export function expandTopic(topic: string): ParsedTopic[] | undefined {
  const mark = topic.indexOf('?');
  if (mark === -1) {
    const parsed = parseTopic(topic);
    return parsed ? [parsed] : undefined;
  }
  if (topic.length > MAX_COMBINED_TOPIC_LENGTH) return undefined;
  const prefix = topic.slice(0, mark);
  const suffixes = topic.slice(mark + 1).split('&');
  if (suffixes.some((suffix) => suffix === '')) return undefined;
  const parsed = [...new Set(suffixes)].map((suffix) => parseTopic(`${prefix}.${suffix}`));
  return parsed.every((topic) => topic !== undefined) ? (parsed as ParsedTopic[]) : undefined;
}
