import { scopeConversationAggregates, rewriteConversationAggregates, rewriteUserAggregates, scopeUserAggregates } from './filters/aggregates.js';
import {
  asyncConversationQuerySchema,
  conversationAggregateQuerySchema,
  conversationDetailQuerySchema,
  queueObservationQuerySchema,
  userAggregateQuerySchema,
  userObservationQuerySchema,
} from './filters/analytics-schemas.js';
import {
  emptyConversationList,
  rewriteConversationQuery,
  scopeConversation,
  scopeConversationList,
  scopeJobCreated,
  scopeJobStatus,
} from './filters/conversations.js';
import { restrictDivisionListing, scopeDivision, scopeDivisionListing } from './filters/divisions.js';
import { rewriteQueueObservations, rewriteUserObservations, scopeQueueObservations, scopeUserObservations } from './filters/observations.js';
import { queueWriteSchema, rewriteQueueWrite } from './filters/queue-writes.js';
import { planAllQueueViews, scopeQueue, scopeQueueListing, scopeQueueMemberListing, scopeQueueViewListing } from './filters/queues.js';
import { emptyResults, mergeResults } from './filters/results.js';
import { emptyUsersPage, planUsersPage, scopeUser, scopeUsersPage } from './filters/users.js';
import { notificationRows } from './notifications/rows.js';
import { agentStateRows } from './agent-state/rows.js';
import { scopeWrapupCodeListing } from './filters/wrapup-codes.js';
import { restrictDivisionIdParam, restrictDivisionViewsParam } from './request-scopers.js';
import { jsonBody, type RouteRule } from './route-rule.js';

const paging = ['pageSize', 'pageNumber', 'sortOrder'] as const;
const memberParams = {
  single: [...paging, 'name', 'joined'],
  multi: ['expand', 'profileSkills', 'skills', 'languages', 'routingStatus', 'presence'],
};
const noQuery = {};

/**
 * Every method and path the proxy serves, and how each is scoped. Anything not listed here is
 * refused with 403 before any call to Genesys. Rows with literal segments come before rows with
 * ids where both could match.
 */
export const policyTable: readonly RouteRule[] = [
  // Queues
  {
    method: 'GET',
    path: '/api/v2/routing/queues',
    access: 'read',
    query: {
      single: [...paging, 'name', 'cannedResponseLibraryId', 'hasPeer'],
      multi: ['id', 'divisionId', 'peerId', 'expand'],
    },
    needs: ['queues'],
    request: restrictDivisionIdParam,
    response: { kind: 'scoped', scope: scopeQueueListing },
    summary: {
      request: '`divisionId` narrowed to the tenant’s divisions and pushed upstream',
      response: 'queues filtered by `division.id`; totals and links rebuilt',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/routing/queues',
    access: 'write',
    query: noQuery,
    needs: ['queues'],
    body: jsonBody(queueWriteSchema, rewriteQueueWrite),
    response: { kind: 'scoped', scope: scopeQueue },
    effect: { kind: 'queue-saved' },
    summary: {
      request: '`division.id` required (400) and one of the tenant’s (403); referenced queues must be the tenant’s',
      response: 'the new queue; the queue directory learns it',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/divisionviews',
    access: 'read',
    query: { single: [...paging, 'sortBy', 'name'], multi: ['id', 'divisionId'] },
    needs: ['queues'],
    request: restrictDivisionViewsParam,
    response: { kind: 'scoped', scope: scopeQueueViewListing },
    summary: {
      request: '`divisionId` narrowed to the tenant’s divisions (`*` means all of them, never sent) and pushed upstream',
      response: 'queues filtered by `division.id`; totals and links rebuilt',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/divisionviews/all',
    access: 'read',
    query: { single: [...paging] },
    needs: ['queues'],
    request: planAllQueueViews,
    response: { kind: 'scoped', scope: scopeQueueViewListing },
    summary: {
      request: 'served from `GET /api/v2/routing/queues` with the tenant’s divisions (this path has no division filter)',
      response: 'simplified queues filtered by `division.id`; totals and links rebuilt',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}',
    access: 'read',
    query: { multi: ['expand'] },
    response: { kind: 'scoped', scope: scopeQueue },
    summary: { request: 'forwarded', response: '404 unless the queue’s division is the tenant’s' },
  },
  {
    method: 'PUT',
    path: '/api/v2/routing/queues/{queueId}',
    access: 'write',
    query: noQuery,
    owns: [{ param: 'queueId', kind: 'queue', fresh: true }],
    needs: ['queues'],
    body: jsonBody(queueWriteSchema, rewriteQueueWrite),
    response: { kind: 'scoped', scope: scopeQueue },
    effect: { kind: 'queue-saved' },
    summary: {
      request: '404 unless the queue is the tenant’s (asked fresh); `division.id` required and one of the tenant’s',
      response: 'the queue; the queue directory learns its division',
    },
  },
  {
    method: 'DELETE',
    path: '/api/v2/routing/queues/{queueId}',
    access: 'write',
    query: { single: ['forceDelete'] },
    owns: [{ param: 'queueId', kind: 'queue', fresh: true }],
    response: { kind: 'no-content' },
    effect: { kind: 'queue-deleted', param: 'queueId' },
    summary: { request: '404 unless the queue is the tenant’s (asked fresh)', response: 'status only; the queue directory forgets it' },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}/members',
    access: 'read',
    query: { single: [...memberParams.single, 'memberBy'], multi: memberParams.multi },
    owns: [{ param: 'queueId', kind: 'queue' }],
    needs: ['users'],
    response: { kind: 'scoped', scope: scopeQueueMemberListing },
    summary: { request: '404 unless the queue is the tenant’s', response: 'members whose user is outside the tenant’s divisions dropped' },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}/users',
    access: 'read',
    query: memberParams,
    owns: [{ param: 'queueId', kind: 'queue' }],
    needs: ['users'],
    response: { kind: 'scoped', scope: scopeQueueMemberListing },
    summary: { request: '404 unless the queue is the tenant’s', response: 'members whose user is outside the tenant’s divisions dropped' },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}/wrapupcodes',
    access: 'read',
    query: { single: [...paging, 'name'] },
    owns: [{ param: 'queueId', kind: 'queue' }],
    response: { kind: 'scoped', scope: scopeWrapupCodeListing },
    summary: { request: '404 unless the queue is the tenant’s', response: 'codes filtered by `division.id`; totals and links rebuilt' },
  },

  // Users and divisions
  {
    method: 'GET',
    path: '/api/v2/users',
    access: 'read',
    query: { single: ['pageSize', 'pageNumber', 'sortOrder', 'state', 'integrationPresenceSource'], multi: ['id', 'expand'] },
    needs: ['users'],
    request: planUsersPage,
    response: { kind: 'scoped', scope: scopeUsersPage, empty: emptyUsersPage },
    summary: {
      request: 'paged from the user directory: the page’s user ids pushed upstream as `id`',
      response: 'users filtered by `division.id`; totals count the tenant’s users only',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/users/{userId}',
    access: 'read',
    query: { single: ['integrationPresenceSource'], multi: ['expand'] },
    response: { kind: 'scoped', scope: scopeUser },
    summary: { request: 'forwarded', response: '404 unless the user’s division is the tenant’s' },
  },
  {
    method: 'GET',
    path: '/api/v2/authorization/divisions',
    access: 'read',
    query: { single: ['pageSize', 'pageNumber', 'sortBy', 'name', 'objectCount'], multi: ['id', 'expand'] },
    request: restrictDivisionListing,
    response: { kind: 'scoped', scope: scopeDivisionListing },
    summary: {
      request: '`id` narrowed to the tenant’s divisions and pushed upstream',
      response: 'divisions filtered by `id`; totals and links rebuilt',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/authorization/divisions/{divisionId}',
    access: 'read',
    query: { single: ['objectCount'] },
    owns: [{ param: 'divisionId', kind: 'division' }],
    response: { kind: 'scoped', scope: scopeDivision },
    summary: { request: '404 unless the division is the tenant’s', response: '404 unless the answer is the tenant’s division' },
  },

  // Analytics
  {
    method: 'POST',
    path: '/api/v2/analytics/queues/observations/query',
    access: 'read',
    query: noQuery,
    needs: ['queues'],
    body: jsonBody(queueObservationQuerySchema, rewriteQueueObservations),
    response: { kind: 'scoped', scope: scopeQueueObservations, merge: mergeResults, empty: emptyResults },
    summary: {
      request: 'every `queueId` named must be the tenant’s (403); filter restricted to the tenant’s queues, 100 per upstream query',
      response: 'answers merged; results of other queues dropped',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/conversations/aggregates/query',
    access: 'read',
    query: noQuery,
    needs: ['queues', 'users'],
    body: jsonBody(conversationAggregateQuerySchema, rewriteConversationAggregates),
    response: { kind: 'scoped', scope: scopeConversationAggregates },
    summary: {
      request: 'a foreign `divisionId` is refused (403); `groupBy` `conversationId` is refused (400); filter ANDed with the tenant’s `divisionId`s',
      response: 'groups naming a foreign `queueId`, `userId` or `divisionId` dropped',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/query',
    access: 'read',
    query: noQuery,
    body: jsonBody(conversationDetailQuerySchema, rewriteConversationQuery),
    response: { kind: 'scoped', scope: scopeConversationList, empty: emptyConversationList },
    summary: {
      request: 'a foreign `divisionId` is refused (403); every conversation filter ANDed with the tenant’s `divisionId`s',
      response: 'only conversations whose every `divisionIds` entry is the tenant’s',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/jobs',
    access: 'read',
    query: noQuery,
    body: jsonBody(asyncConversationQuerySchema, rewriteConversationQuery),
    response: { kind: 'scoped', scope: scopeJobCreated },
    effect: { kind: 'bind-job' },
    summary: {
      request: 'as the details query',
      response: '`jobId`, bound to the tenant',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/analytics/conversations/details/jobs/{jobId:token}',
    access: 'read',
    query: noQuery,
    owns: [{ param: 'jobId', kind: 'job' }],
    response: { kind: 'scoped', scope: scopeJobStatus },
    summary: { request: '404 unless the tenant created the job', response: 'the job’s status fields' },
  },
  {
    method: 'GET',
    path: '/api/v2/analytics/conversations/details/jobs/{jobId:token}/results',
    access: 'read',
    query: { single: ['cursor', 'pageSize'] },
    owns: [{ param: 'jobId', kind: 'job' }],
    response: { kind: 'scoped', scope: scopeConversationList, empty: emptyConversationList },
    summary: {
      request: '404 unless the tenant created the job',
      response: 'only conversations whose every `divisionIds` entry is the tenant’s; `cursor` kept',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/analytics/conversations/{conversationId}/details',
    access: 'read',
    query: noQuery,
    response: { kind: 'scoped', scope: scopeConversation },
    summary: { request: 'forwarded', response: '404 unless every `divisionIds` entry is the tenant’s' },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/users/observations/query',
    access: 'read',
    query: noQuery,
    needs: ['users'],
    body: jsonBody(userObservationQuerySchema, rewriteUserObservations),
    response: { kind: 'scoped', scope: scopeUserObservations, merge: mergeResults, empty: emptyResults },
    summary: {
      request: 'every `userId` named must be the tenant’s (403); filter restricted to the tenant’s users, 100 per upstream query',
      response: 'answers merged; results of other users dropped',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/users/aggregates/query',
    access: 'read',
    query: noQuery,
    needs: ['users'],
    body: jsonBody(userAggregateQuerySchema, rewriteUserAggregates),
    response: { kind: 'scoped', scope: scopeUserAggregates, merge: mergeResults, empty: emptyResults },
    summary: {
      request: 'as user observations; more than one upstream query needs `groupBy` `userId`',
      response: 'answers merged; groups of other users dropped',
    },
  },

  // Agent state
  ...agentStateRows,

  // Notifications
  ...notificationRows,
];
