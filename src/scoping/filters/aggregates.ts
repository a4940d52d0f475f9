import { GatewayError } from '../../errors.js';
import type { RequestInput, RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { mergeGroups, readDataEntries, type GroupResult } from './aggregate-merge.js';
import { checkAnalyticsFilters, ownershipOf } from './analytics-dimensions.js';
import type { ConversationAggregateQuery, UserAggregateQuery } from './analytics-schemas.js';
import type { UpstreamPort } from '../row-strategy.js';
import { callEach } from './analytics-upstream.js';
import { ownedBy, planPerFilter, restrictToOwnIds } from './observations.js';
import { groupValues, scopeGroupedResults } from './results.js';

export const CONVERSATION_AGGREGATES_PATH = '/api/v2/analytics/conversations/aggregates/query';

/**
 * Metrics whose figure is one queue's setting, not a sum of segments: meaningless once several
 * queues are folded into one group.
 */
const PER_QUEUE_METRICS = ['oServiceTarget'];

/** What a tenant's conversation aggregates are made of: the upstream queries and how their answers fold back. */
export interface ConversationAggregatesPlan {
  readonly bodies: readonly Readonly<Record<string, unknown>>[];
  readonly combine: (answers: readonly unknown[]) => { results: GroupResult[] };
}

/**
 * A tenant's figures count the segments handled in its own queues, nothing else. Genesys is asked
 * for the tenant's query grouped by `queueId` as well, restricted to the tenant's queues (100 per
 * query); groups of other queues are dropped and the rest folded back into the tenant's `groupBy`.
 * A `divisionId` group is the division of the queue that handled the segments, not the
 * conversation's (which may be several tenants'). Answers are exact: counts and sums add up, minima
 * and maxima combine, ratios are recomputed from numerator and denominator; percentiles and other
 * statistics that cannot be combined are refused when the tenant's grouping needs a merge.
 */
export function planConversationAggregates(body: ConversationAggregateQuery, { scope, facts }: RequestInput): ConversationAggregatesPlan {
  const isOwn = ownershipOf(scope, facts);
  checkAnalyticsFilters('conversationAggregates', body, isOwn);
  if (body.queryType !== undefined && body.queryType !== 'groupBy') {
    throw new GatewayError('body.invalid', { message: `queryType ${body.queryType} cannot be answered exactly over the tenant’s queues; use groupBy and sort the results.` });
  }
  const groupBy = body.groupBy ?? [];
  const merging = !groupBy.includes('queueId');
  const perQueue = merging ? body.metrics.find((metric) => PER_QUEUE_METRICS.includes(metric)) : undefined;
  if (perQueue) throw new GatewayError('body.invalid', { message: `The metric ${perQueue} is a per-queue figure; group the query by queueId.` });
  const upstreamGroupBy = ['queueId', ...groupBy.filter((dimension) => dimension !== 'queueId' && dimension !== 'divisionId')];
  const filters = restrictToOwnIds(body.filter, 'queueId', facts.queues.idsIn(scope.divisions));
  const { queryType: _queryType, sortMetric: _sortMetric, limit: _limit, ...query } = body;
  const ownQueue = ownedBy(facts.queues, scope);
  const ownUser = ownedBy(facts.users, scope);
  const target = (group: Record<string, string>): Record<string, string> | undefined => {
    const queue = group['queueId'];
    if (queue === undefined || !ownQueue(queue)) return undefined;
    if (group['userId'] !== undefined && !ownUser(group['userId'])) return undefined;
    const out: Record<string, string> = {};
    for (const dimension of groupBy) {
      const value = dimension === 'divisionId' ? facts.queues.divisionOf(queue) : group[dimension];
      if (value !== undefined) out[dimension] = value;
    }
    return out;
  };
  return {
    bodies: filters.map((filter) => ({ ...query, groupBy: upstreamGroupBy, filter })),
    combine: (answers) => ({ results: mergeGroups(answers.flatMap(readGroupResults), target, merging, body.metrics) }),
  };
}

function readGroupResults(answer: unknown): GroupResult[] {
  if (!isRecord(answer)) throw new UnexpectedShapeError('an analytics answer that is not an object');
  const results = answer['results'] ?? [];
  if (!Array.isArray(results)) throw new UnexpectedShapeError('analytics results that are not an array');
  return results.map((result) => {
    if (!isRecord(result) || !isRecord(result['group'] ?? {})) throw new UnexpectedShapeError('an aggregate result without a group');
    const group: Record<string, string> = {};
    for (const [dimension, value] of Object.entries((result['group'] ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string') throw new UnexpectedShapeError('a group value that is not a string');
      group[dimension] = value;
    }
    return { group, data: readDataEntries(result['data']) };
  });
}

/** `POST /analytics/conversations/aggregates/query`, run as the row's own strategy. */
export async function executeConversationAggregates(input: RequestInput & { readonly body: unknown }, upstream: UpstreamPort): Promise<ScopedResponse> {
  const plan = planConversationAggregates(input.body as ConversationAggregateQuery, input);
  const answers = await callEach(
    upstream,
    plan.bodies.map((body) => ({ method: 'POST' as const, path: CONVERSATION_AGGREGATES_PATH, body })),
  );
  const combined = plan.combine(answers);
  return { kind: 'ok', body: combined, kept: combined.results.length, removed: 0 };
}

/**
 * `POST /analytics/users/aggregates/query` has only a userId dimension: restricted to the
 * tenant's users, chunked. Chunked answers can only be joined when each result is one user's.
 */
export function rewriteUserAggregates(body: UserAggregateQuery, { scope, facts }: RequestInput): RequestPlan {
  checkAnalyticsFilters('userAggregates', body, ownershipOf(scope, facts));
  const filters = restrictToOwnIds(body.filter, 'userId', facts.users.idsIn(scope.divisions));
  if (filters.length > 1 && !(body.groupBy ?? []).includes('userId')) {
    throw new GatewayError('body.invalid', {
      message: 'This query covers more users than one upstream query takes; group it by userId, or narrow it with a filter.',
    });
  }
  return planPerFilter(body, filters);
}

/** A group naming a user must name one of the tenant's; ungrouped totals came from a restricted query. */
export function scopeUserAggregates(body: unknown, context: ResponseContext): ScopedResponse {
  const ownUser = ownedBy(context.facts.users, context.scope);
  return scopeGroupedResults(
    body,
    (group) => {
      const users = groupValues(group, 'userId');
      return users === undefined || (users.length > 0 && users.every(ownUser));
    },
    ['results'],
  );
}
