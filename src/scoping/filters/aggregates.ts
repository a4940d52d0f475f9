import { GatewayError } from '../../errors.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import type { ResponseContext, ScopedResponse } from '../scope.js';
import { assertOwnValues, restrictFilter } from './analytics-filter.js';
import type { ConversationAggregateQuery, UserAggregateQuery } from './analytics-schemas.js';
import { ownedBy, planPerFilter, restrictToOwnIds } from './observations.js';
import { groupValues, scopeGroupedResults } from './results.js';

/**
 * `POST /analytics/conversations/aggregates/query`: the tenant's filter ANDed with "divisionId is
 * one of the tenant's" (see restrictFilter for how without nesting clauses). A filter naming a
 * foreign division is refused.
 */
export function rewriteConversationAggregates(body: ConversationAggregateQuery, { scope }: RequestInput): RequestPlan {
  assertOwnValues(body.filter, 'divisionId', (id) => scope.divisions.has(id));
  if (body.groupBy?.includes('conversationId')) {
    // A conversation can span two tenants' divisions and a group does not say which: such groups
    // could not be told apart from the tenant's own, so the grouping is refused, not half-answered.
    throw new GatewayError('body.invalid', {
      message: 'Conversation aggregates cannot be grouped by conversationId through the proxy; use the details query.',
    });
  }
  return forward(new Map(), { ...body, filter: restrictFilter(body.filter, 'divisionId', scope.divisionIds) });
}

/**
 * Drops every result group that names a foreign (or unknown) queue, user or division, and any
 * group naming a conversation (which may span tenants). Groups by other dimensions are kept: the
 * query itself was limited to the tenant's divisions. A conversation shared with another tenant
 * still counts for both, but its other tenant's agents are never named.
 */
export function scopeConversationAggregates(body: unknown, context: ResponseContext): ScopedResponse {
  const ownQueue = ownedBy(context.facts.queues, context.scope);
  const ownUser = ownedBy(context.facts.users, context.scope);
  return scopeGroupedResults(
    body,
    (group) => {
      const queues = groupValues(group, 'queueId');
      const users = groupValues(group, 'userId');
      const divisions = groupValues(group, 'divisionId');
      if (group['conversationId'] !== undefined) return false;
      if (queues && (queues.length === 0 || !queues.every(ownQueue))) return false;
      if (users && (users.length === 0 || !users.every(ownUser))) return false;
      if (divisions && (divisions.length === 0 || !divisions.every((id) => context.scope.divisions.has(id)))) return false;
      return true;
    },
    ['results'],
  );
}

/**
 * `POST /analytics/users/aggregates/query` has only a userId dimension: restricted to the
 * tenant's users, chunked. Chunked answers can only be joined when each result is one user's.
 */
export function rewriteUserAggregates(body: UserAggregateQuery, { scope, facts }: RequestInput): RequestPlan {
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
