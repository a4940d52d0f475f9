import { isRecord, UnexpectedShapeError, type ScopeFacts, type TenantScope } from '../scope.js';
import { ownedBy } from './observations.js';

/**
 * A conversation all of whose divisions are the tenant's can still have had another tenant's agent
 * on it (a member of the tenant's queue who belongs to another BPO). Such a participant is
 * redacted, not the conversation withheld: the tenant keeps its own conversation, the handling
 * times in its own queue and the fact that an agent took part, but not who (no `userId`, name,
 * external contact, team or session addresses). Allowlists: a redacted participant keeps only the
 * fields below, whatever else Genesys sends.
 */
const REDACTED_PARTICIPANT_FIELDS = ['participantId', 'purpose'];
const REDACTED_SESSION_FIELDS = ['sessionId', 'mediaType', 'direction', 'metrics'];
const REDACTED_SEGMENT_FIELDS = ['segmentStart', 'segmentEnd', 'segmentType', 'disconnectType'];
/** Conversation-level lists whose entries name an agent or a queue. */
const PER_AGENT_LISTS = ['evaluations', 'surveys', 'resolutions'];
const USER_FIELDS = ['userId', 'evaluatorId', 'agentId'];

function pick(record: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (record[field] !== undefined) out[field] = record[field];
  return out;
}

function records(value: unknown, what: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new UnexpectedShapeError(`${what} that are not a list of objects`);
  return value;
}

function redactParticipant(participant: Record<string, unknown>, ownQueue: (id: string) => boolean): Record<string, unknown> {
  const sessions = records(participant['sessions'], 'sessions').map((session) => ({
    ...pick(session, REDACTED_SESSION_FIELDS),
    segments: records(session['segments'], 'segments').map((segment) => ({
      ...pick(segment, REDACTED_SEGMENT_FIELDS),
      ...(typeof segment['queueId'] === 'string' && ownQueue(segment['queueId']) ? { queueId: segment['queueId'] } : {}),
    })),
  }));
  return { ...pick(participant, REDACTED_PARTICIPANT_FIELDS), sessions };
}

/** The conversation with every participant whose user is not the tenant's (or unknown) redacted. */
export function redactForeignParticipants(conversation: unknown, scope: TenantScope, facts: ScopeFacts): Record<string, unknown> {
  if (!isRecord(conversation)) throw new UnexpectedShapeError('a conversation that is not an object');
  const ownUser = ownedBy(facts.users, scope);
  const ownQueue = ownedBy(facts.queues, scope);
  const foreign = (id: unknown) => id !== undefined && (typeof id !== 'string' || !ownUser(id));
  const out: Record<string, unknown> = { ...conversation };
  if (conversation['participants'] !== undefined) {
    out['participants'] = records(conversation['participants'], 'participants').map((participant) =>
      foreign(participant['userId']) ? redactParticipant(participant, ownQueue) : participant,
    );
  }
  for (const list of PER_AGENT_LISTS) {
    if (conversation[list] === undefined) continue;
    out[list] = records(conversation[list], list).filter(
      (entry) => USER_FIELDS.every((field) => !foreign(entry[field])) && (entry['queueId'] === undefined || (typeof entry['queueId'] === 'string' && ownQueue(entry['queueId']))),
    );
  }
  return out;
}
