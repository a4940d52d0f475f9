import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse, type TenantScope } from '../scope.js';
import { assertOwnValues, restrictFilter, type Filter } from './analytics-filter.js';
import type { AsyncConversationQuery, ConversationDetailQuery } from './analytics-schemas.js';

/**
 * The tenant's divisions injected into every conversation filter (or as the only one). Each
 * filter gets the restriction, so the query means the same whether Genesys ANDs or ORs the list.
 */
export function restrictConversationFilters(filters: readonly Filter[] | undefined, scope: TenantScope): Filter[] {
  for (const filter of filters ?? []) assertOwnValues(filter, 'divisionId', (id) => scope.divisions.has(id));
  if (!filters?.length) return [restrictFilter(undefined, 'divisionId', scope.divisionIds)];
  return filters.map((filter) => restrictFilter(filter, 'divisionId', scope.divisionIds));
}

/** `POST /analytics/conversations/details/query` and `…/details/jobs`. */
export function rewriteConversationQuery(body: ConversationDetailQuery | AsyncConversationQuery, { scope }: RequestInput): RequestPlan {
  return forward(new Map(), { ...body, conversationFilters: restrictConversationFilters(body.conversationFilters, scope) });
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

/** Details query answers and job result pages. */
export function scopeConversationList(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a conversation answer that is not an object');
  const conversations = body['conversations'] ?? [];
  if (!Array.isArray(conversations)) throw new UnexpectedShapeError('conversations that are not an array');
  const kept = conversations.filter((conversation) => isOwnConversation(conversation, context.scope));
  const removed = conversations.length - kept.length;
  const scoped: Record<string, unknown> = { conversations: kept };
  const totalHits = body['totalHits'];
  // Genesys counted the conversations shared with other divisions too; those on this page are
  // taken off, the ones on other pages cannot be known.
  if (typeof totalHits === 'number') scoped['totalHits'] = Math.max(kept.length, totalHits - removed);
  for (const field of ['cursor', 'dataAvailabilityDate']) if (typeof body[field] === 'string') scoped[field] = body[field];
  return { kind: 'ok', body: scoped, kept: kept.length, removed };
}

export const emptyConversationList = (): unknown => ({ conversations: [], totalHits: 0 });

/** `GET /analytics/conversations/{id}/details`: a shared or foreign conversation answers 404. */
export function scopeConversation(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a conversation that is not an object');
  if (!isOwnConversation(body, context.scope)) return { kind: 'not-found' };
  return { kind: 'ok', body, kept: 1, removed: 0 };
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
