import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse, type ScopeFacts, type TenantScope } from '../scope.js';
import { checkAnalyticsFilters, ownershipOf } from './analytics-dimensions.js';
import { assertOwnValues, restrictFilter, type Filter } from './analytics-filter.js';
import type { AsyncConversationQuery, ConversationDetailQuery } from './analytics-schemas.js';
import { redactForeignParticipants } from './participants.js';

/**
 * The tenant's divisions injected into every conversation filter (or as the only one). Each
 * filter gets the restriction, so the query means the same whether Genesys ANDs or ORs the list.
 */
export function restrictConversationFilters(filters: readonly Filter[] | undefined, scope: TenantScope): Filter[] {
  for (const filter of filters ?? []) assertOwnValues(filter, 'divisionId', (id) => scope.divisions.has(id));
  if (!filters?.length) return [restrictFilter(undefined, 'divisionId', scope.divisionIds)];
  return filters.map((filter) => restrictFilter(filter, 'divisionId', scope.divisionIds));
}

/**
 * The upstream body of a details query or job: every filter list checked by the one rule (ids
 * must be the tenant's), the tenant's divisions injected into every conversation filter.
 */
export function restrictDetailsBody<T extends ConversationDetailQuery | AsyncConversationQuery>(body: T, { scope, facts }: Pick<RequestInput, 'scope' | 'facts'>): T {
  checkAnalyticsFilters('conversationDetails', body, ownershipOf(scope, facts));
  return { ...body, conversationFilters: restrictConversationFilters(body.conversationFilters, scope) };
}

/** `POST /analytics/conversations/details/jobs`. */
export function rewriteConversationJob(body: AsyncConversationQuery, input: RequestInput): RequestPlan {
  return forward(new Map(), restrictDetailsBody(body, input));
}

/**
 * A conversation can span divisions (a transfer between BPOs). The upstream filter selects any
 * conversation touching the tenant's divisions; only those whose every division is the tenant's
 * come back, so no other tenant's participants or segments are shown.
 */
export function isOwnConversation(conversation: unknown, scope: TenantScope): boolean {
  if (!isRecord(conversation)) return false;
  const divisions = conversation['divisionIds'];
  return (
    Array.isArray(divisions) &&
    divisions.length > 0 &&
    divisions.every((id) => typeof id === 'string' && scope.divisions.has(id))
  );
}

/**
 * The conversations of an upstream list the tenant may see, in order: those whose every division
 * is the tenant's, with other tenants' participants redacted.
 */
export function visibleConversations(conversations: unknown, scope: TenantScope, facts: ScopeFacts): Record<string, unknown>[] {
  if (conversations === undefined) return [];
  if (!Array.isArray(conversations)) throw new UnexpectedShapeError('conversations that are not an array');
  return conversations.filter((conversation) => isOwnConversation(conversation, scope)).map((conversation) => redactForeignParticipants(conversation, scope, facts));
}

/** Job result pages: the page's visible conversations; the cursor goes on as Genesys gave it. */
export function scopeConversationList(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a conversation answer that is not an object');
  const kept = visibleConversations(body['conversations'], context.scope, context.facts);
  const removed = (Array.isArray(body['conversations']) ? body['conversations'].length : 0) - kept.length;
  const scoped: Record<string, unknown> = { conversations: kept };
  for (const field of ['cursor', 'dataAvailabilityDate']) if (typeof body[field] === 'string') scoped[field] = body[field];
  return { kind: 'ok', body: scoped, kept: kept.length, removed };
}

export const emptyConversationList = (): unknown => ({ conversations: [] });

/** `GET /analytics/conversations/{id}/details`: a shared or foreign conversation answers 404. */
export function scopeConversation(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a conversation that is not an object');
  if (!isOwnConversation(body, context.scope)) return { kind: 'not-found' };
  return { kind: 'ok', body: redactForeignParticipants(body, context.scope, context.facts), kept: 1, removed: 0 };
}

const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** `POST …/details/jobs` answers `{jobId}`; the proxy binds it to the tenant before passing it on. */
export function scopeJobCreated(body: unknown): ScopedResponse {
  if (!isRecord(body) || typeof body['jobId'] !== 'string' || !JOB_ID.test(body['jobId'])) {
    throw new UnexpectedShapeError('a job answer without a usable jobId');
  }
  return { kind: 'ok', body: { jobId: body['jobId'] }, kept: 1, removed: 0 };
}

const JOB_STATUS_FIELDS = ['state', 'errorMessage', 'expirationDate', 'submissionDate', 'completionDate'];

/** `GET …/details/jobs/{jobId}`: the status fields, nothing else. */
export function scopeJobStatus(body: unknown): ScopedResponse {
  if (!isRecord(body) || typeof body['state'] !== 'string') throw new UnexpectedShapeError('a job status without a state');
  const scoped: Record<string, unknown> = {};
  for (const field of JOB_STATUS_FIELDS) if (body[field] !== undefined) scoped[field] = body[field];
  return { kind: 'ok', body: scoped, kept: 1, removed: 0 };
}
