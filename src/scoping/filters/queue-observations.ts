import type { RequestInput } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ScopedResponse } from '../scope.js';
import { checkAnalyticsFilters, ownershipOf } from './analytics-dimensions.js';
import type { QueueObservationQuery } from './analytics-schemas.js';
import type { UpstreamPort } from '../row-strategy.js';
import { callEach } from './analytics-upstream.js';
import { scopeObservationData, USER_STATE_METRICS } from './observation-data.js';
import { ownedBy, restrictToOwnIds } from './observations.js';

export const QUEUE_OBSERVATIONS_PATH = '/api/v2/analytics/queues/observations/query';

export interface QueueObservationsPlan {
  readonly bodies: readonly Readonly<Record<string, unknown>>[];
  readonly combine: (answers: readonly unknown[]) => { systemToOrganizationMappings?: unknown; results: unknown[] };
}

/**
 * `POST /analytics/queues/observations/query`: the query names only the tenant's queues (100 per
 * upstream query). A queue of the tenant's may have another tenant's agents as members, so every
 * figure about the queue's agents is recounted from the detail entries Genesys lists for it (asked
 * for in the same query), counting the tenant's own agents only; a figure the entries do not
 * account for is left out rather than answered with another tenant's agents in it.
 */
export function planQueueObservations(body: QueueObservationQuery, { scope, facts }: RequestInput): QueueObservationsPlan {
  checkAnalyticsFilters('queueObservations', body, ownershipOf(scope, facts));
  const filters = restrictToOwnIds(body.filter, 'queueId', facts.queues.idsIn(scope.divisions));
  const userState = body.metrics.filter((metric) => USER_STATE_METRICS.has(metric));
  const detailMetrics = [...new Set([...(body.detailMetrics ?? []), ...userState])];
  const ownQueue = ownedBy(facts.queues, scope);
  const options = { ownUser: ownedBy(facts.users, scope), userStateFromEntries: true, detailMetrics: new Set(body.detailMetrics ?? []) };
  return {
    bodies: filters.map((filter) => ({ ...body, filter, ...(detailMetrics.length > 0 ? { detailMetrics } : {}) })),
    combine(answers) {
      // systemToOrganizationMappings stays behind (see OBSERVATION_FIELDS).
      const results: unknown[] = [];
      for (const answer of answers) {
        if (!isRecord(answer)) throw new UnexpectedShapeError('an analytics answer that is not an object');
        const part = answer['results'] ?? [];
        if (!Array.isArray(part)) throw new UnexpectedShapeError('analytics results that are not an array');
        for (const result of part) {
          if (!isRecord(result) || !isRecord(result['group'])) throw new UnexpectedShapeError('an observation result without a group');
          const queue = result['group']['queueId'];
          if (typeof queue !== 'string' || !ownQueue(queue)) continue;
          const mediaType = result['group']['mediaType'];
          const group = { queueId: queue, ...(typeof mediaType === 'string' ? { mediaType } : {}) };
          results.push({ group, data: scopeObservationData(result['data'], options) });
        }
      }
      return { results };
    },
  };
}

/** The row's own strategy: the planned queries, then the recounted answer. */
export async function executeQueueObservations(input: RequestInput & { readonly body: unknown }, upstream: UpstreamPort): Promise<ScopedResponse> {
  const plan = planQueueObservations(input.body as QueueObservationQuery, input);
  const answers = await callEach(upstream, plan.bodies.map((body) => ({ method: 'POST' as const, path: QUEUE_OBSERVATIONS_PATH, body })));
  const combined = plan.combine(answers);
  return { kind: 'ok', body: combined, kept: combined.results.length, removed: 0 };
}
