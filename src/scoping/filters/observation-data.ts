import { isRecord, UnexpectedShapeError } from '../scope.js';

/**
 * Fields of an observation answer a tenant may see. `systemToOrganizationMappings` stays behind: it
 * lists organization presence ids, and a presence definition may belong to another tenant's division.
 */
export const OBSERVATION_FIELDS = ['results'];

/** Queue metrics that describe the queue's agents: each counts members, and a member may be another tenant's. */
export const USER_STATE_METRICS: ReadonlySet<string> = new Set([
  'oMemberUsers',
  'oActiveUsers',
  'oOnQueueUsers',
  'oOffQueueUsers',
  'oUserRoutingStatuses',
  'oUserPresences',
]);

const STATS = ['count', 'sum', 'min', 'max', 'current', 'ratio', 'numerator', 'denominator', 'target', 'calculatedMetricValue'];

/**
 * Fields of a detail observation (one waiting conversation, one agent…) a tenant may see once the
 * entry is its own: its queue's conversation, its own agent. `scoredAgents`, `teamId` and skill
 * ids name entities the proxy cannot check and stay behind.
 */
const ENTRY_FIELDS = [
  'observationDate',
  'conversationId',
  'sessionId',
  'routingPriority',
  'participantName',
  'userId',
  'direction',
  'convertedFrom',
  'convertedTo',
  'addressFrom',
  'addressTo',
  'ani',
  'dnis',
  'requestedLanguageId',
  'requestedRoutings',
  'usedRouting',
];

export interface ObservationDataOptions {
  readonly ownUser: (id: string) => boolean;
  /**
   * Queue answers: user-state figures are recounted from their detail entries, own users only;
   * a figure whose entries do not account for it (truncated, or without user ids) is left out.
   */
  readonly userStateFromEntries: boolean;
  /** The detail metrics the tenant asked for; others' entries were asked for the recount and stay behind. Undefined: keep all. */
  readonly detailMetrics: ReadonlySet<string> | undefined;
}

function pick(record: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (record[field] !== undefined) out[field] = record[field];
  return out;
}

function ownEntries(entries: unknown, ownUser: (id: string) => boolean): Record<string, unknown>[] {
  if (!Array.isArray(entries)) throw new UnexpectedShapeError('observations that are not an array');
  return entries
    .filter((entry): entry is Record<string, unknown> => {
      if (!isRecord(entry)) throw new UnexpectedShapeError('an observation that is not an object');
      const user = entry['userId'];
      return user === undefined || (typeof user === 'string' && ownUser(user));
    })
    .map((entry) => pick(entry, ENTRY_FIELDS));
}

/** One result's `data`: each metric entry kept, recounted or left out, its detail entries filtered one by one. */
export function scopeObservationData(data: unknown, options: ObservationDataOptions): Record<string, unknown>[] {
  if (data === undefined) return [];
  if (!Array.isArray(data)) throw new UnexpectedShapeError('observation data that is not an array');
  const scoped: Record<string, unknown>[] = [];
  for (const datum of data) {
    if (!isRecord(datum) || typeof datum['metric'] !== 'string' || !isRecord(datum['stats'])) throw new UnexpectedShapeError('an observation without a metric or stats');
    const metric = datum['metric'];
    const entry: Record<string, unknown> = { metric };
    if (typeof datum['qualifier'] === 'string') entry['qualifier'] = datum['qualifier'];
    const wantsEntries = options.detailMetrics === undefined || options.detailMetrics.has(metric);
    if (options.userStateFromEntries && USER_STATE_METRICS.has(metric)) {
      const entries = datum['observations'];
      const count = datum['stats']['count'];
      if (datum['truncated'] === true || !Array.isArray(entries) || entries.length !== count) continue;
      if (!entries.every((observation) => isRecord(observation) && typeof observation['userId'] === 'string')) continue;
      const own = ownEntries(entries, options.ownUser);
      // A qualifier only another tenant's agents are in is not there once they are taken away.
      if (own.length === 0 && entry['qualifier'] !== undefined) continue;
      entry['stats'] = { count: own.length };
      if (wantsEntries) entry['observations'] = own;
    } else {
      entry['stats'] = pick(datum['stats'], STATS);
      if (typeof datum['truncated'] === 'boolean') entry['truncated'] = datum['truncated'];
      if (datum['observations'] !== undefined && wantsEntries) entry['observations'] = ownEntries(datum['observations'], options.ownUser);
    }
    scoped.push(entry);
  }
  return scoped;
}
