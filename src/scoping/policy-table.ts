import { executeConversationAggregates, rewriteUserAggregates, scopeUserAggregates } from './filters/aggregates.js';
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
  rewriteConversationJob,
  scopeConversation,
  scopeConversationList,
  scopeJobCreated,
  scopeJobStatus,
} from './filters/conversations.js';
import { restrictDivisionListing, scopeDivision, scopeDivisionListing } from './filters/divisions.js';
import { executeConversationDetails } from './filters/details-scan.js';
import { rewriteUserObservations, scopeUserObservations } from './filters/observations.js';
import { mergePresenceDefinitions, planLegacyPresenceDefinitions, scopeLegacyPresenceDefinitions, scopePresenceDefinitions } from './filters/presence-definitions.js';
import { executeQueueObservations } from './filters/queue-observations.js';
import { queueWriteSchema, rewriteQueueWrite } from './filters/queue-writes.js';
import {
  planAllQueueViews,
  readQueueMembers,
  scopeQueue,
  scopeQueueListing,
  scopeQueueListingBytes,
  scopeQueueViewListing,
  scopeQueueViewListingBytes,
  streamQueueListing,
  streamQueueViewListing,
} from './filters/queues.js';
import { emptyResults, mergeResults } from './filters/results.js';
import { emptyUsersPage, planUsersPage, scopeUser, scopeUsersPage } from './filters/users.js';
import { readWrapupCodes } from './filters/wrapup-codes.js';
import { notificationRows } from './notifications/rows.js';
import { agentStateRows } from './agent-state/rows.js';
import { restrictDivisionIdParam, restrictDivisionViewsParam } from './request-scopers.js';
import { jsonBody, validatedJsonBody, type RouteRule } from './route-rule.js';

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
    needs: ['queues', 'users'],
    request: restrictDivisionIdParam,
    response: { kind: 'scoped', scope: scopeQueueListing, bytes: scopeQueueListingBytes, stream: streamQueueListing },
    summary: {
      request: '`divisionId` narrowed to the tenant’s divisions and pushed upstream',
      response: 'queues filtered by `division.id`, each projected (see below); totals and links rebuilt',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/routing/queues',
    access: 'write',
    query: noQuery,
    needs: ['queues', 'users'],
    body: jsonBody(queueWriteSchema, rewriteQueueWrite),
    response: { kind: 'scoped', scope: scopeQueue },
    effect: { kind: 'queue-saved' },
    summary: {
      request: 'body checked whole (see below): unknown field 400; `division.id` required (400) and one of the tenant’s (403); every reference the tenant’s (403)',
      response: 'the new queue, projected; the queue directory learns it',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/divisionviews',
    access: 'read',
    query: { single: [...paging, 'sortBy', 'name'], multi: ['id', 'divisionId'] },
    needs: ['queues'],
    request: restrictDivisionViewsParam,
    response: { kind: 'scoped', scope: scopeQueueViewListing, bytes: scopeQueueViewListingBytes, stream: streamQueueViewListing },
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
    response: { kind: 'scoped', scope: scopeQueueViewListing, bytes: scopeQueueViewListingBytes, stream: streamQueueViewListing },
    summary: {
      request: 'served from `GET /api/v2/routing/queues` with the tenant’s divisions (this path has no division filter)',
      response: 'simplified queues (id, name, division, selfUri) filtered by `division.id`; totals and links rebuilt',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}',
    access: 'read',
    query: { multi: ['expand'] },
    owns: [{ param: 'queueId', kind: 'queue' }],
    needs: ['queues', 'users'],
    response: { kind: 'scoped', scope: scopeQueue },
    summary: { request: '404 unless the queue is the tenant’s', response: '404 unless the queue’s division is the tenant’s; projected' },
  },
  {
    method: 'PUT',
    path: '/api/v2/routing/queues/{queueId}',
    access: 'write',
    query: noQuery,
    owns: [{ param: 'queueId', kind: 'queue', fresh: true }],
    needs: ['queues', 'users'],
    body: jsonBody(queueWriteSchema, rewriteQueueWrite),
    response: { kind: 'scoped', scope: scopeQueue },
    effect: { kind: 'queue-saved' },
    summary: {
      request: '404 unless the queue is the tenant’s (asked fresh); body checked as for `POST`',
      response: 'the queue, projected; the queue directory learns its division',
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
    response: { kind: 'own' },
    execute: readQueueMembers,
    summary: {
      request: '404 unless the queue is the tenant’s; every page read (100 a call), the tenant’s page cut from its own members',
      response: 'members whose user is outside the tenant’s divisions dropped, each projected; pages full but the last, links only to own members',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}/users',
    access: 'read',
    query: memberParams,
    owns: [{ param: 'queueId', kind: 'queue' }],
    needs: ['users'],
    response: { kind: 'own' },
    execute: readQueueMembers,
    summary: {
      request: '404 unless the queue is the tenant’s; every page read (100 a call), the tenant’s page cut from its own members',
      response: 'members whose user is outside the tenant’s divisions dropped, each projected; pages full but the last, links only to own members',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/routing/queues/{queueId}/wrapupcodes',
    access: 'read',
    query: { single: [...paging, 'name'] },
    owns: [{ param: 'queueId', kind: 'queue' }],
    needs: ['users'],
    response: { kind: 'own' },
    execute: readWrapupCodes,
    summary: {
      request: '404 unless the queue is the tenant’s; every page read (100 a call), the tenant’s page cut from its own codes',
      response: 'codes filtered by `division.id`, each projected; totals and links count the tenant’s codes only',
    },
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
      response: 'users filtered by `division.id`, each projected; totals count the tenant’s users only',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/users/{userId}',
    access: 'read',
    query: { single: ['integrationPresenceSource'], multi: ['expand'] },
    owns: [{ param: 'userId', kind: 'user' }],
    needs: ['users'],
    response: { kind: 'scoped', scope: scopeUser },
    summary: { request: '404 unless the user is the tenant’s', response: '404 unless the user’s division is the tenant’s; projected' },
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
      response: 'divisions filtered by `id`, each projected; totals and links rebuilt',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/authorization/divisions/{divisionId}',
    access: 'read',
    query: { single: ['objectCount'] },
    owns: [{ param: 'divisionId', kind: 'division' }],
    response: { kind: 'scoped', scope: scopeDivision },
    summary: { request: '404 unless the division is the tenant’s', response: '404 unless the answer is the tenant’s division; projected' },
  },

  // Analytics
  {
    method: 'POST',
    path: '/api/v2/analytics/queues/observations/query',
    access: 'read',
    query: noQuery,
    needs: ['queues', 'users'],
    body: validatedJsonBody(queueObservationQuerySchema),
    execute: (input, upstream) => executeQueueObservations(input, upstream),
    response: { kind: 'own' },
    summary: {
      request: 'filter dimensions `queueId`, `mediaType`; every `queueId` must be the tenant’s (403); restricted to the tenant’s queues, 100 per upstream query; agent figures asked with their detail entries',
      response: 'results of other queues dropped; agent figures (`oMemberUsers`, `oActiveUsers`, `oOnQueueUsers`, `oOffQueueUsers`, `oUserRoutingStatuses`, `oUserPresences`) recounted from the tenant’s own agents, or left out; detail entries of other tenants’ agents dropped',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/conversations/aggregates/query',
    access: 'read',
    query: noQuery,
    needs: ['queues', 'users'],
    body: validatedJsonBody(conversationAggregateQuerySchema),
    execute: (input, upstream) => executeConversationAggregates(input, upstream),
    response: { kind: 'own' },
    summary: {
      request: 'filter and `groupBy` dimensions on an allowlist (400); every `queueId`, `userId`, `divisionId` must be the tenant’s (403); asked grouped by `queueId` for the tenant’s queues, 100 per upstream query',
      response: 'segments handled in the tenant’s queues only, folded back into the tenant’s `groupBy` (exact merges; percentiles refused)',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/query',
    access: 'read',
    query: noQuery,
    needs: ['queues', 'users'],
    body: validatedJsonBody(conversationDetailQuerySchema),
    execute: (input, upstream, services) => executeConversationDetails(input, upstream, services.detailsScan),
    response: { kind: 'own' },
    summary: {
      request: 'every filter list on an allowlist, ids the tenant’s (403); conversation filters ANDed with the tenant’s `divisionId`s; read 100 a page; 400 past `DETAILS_SCAN_MAX_CONVERSATIONS` of the tenant’s, or past 10 times that read in all',
      response: 'exact pages of the conversations whose every `divisionIds` entry is the tenant’s; `totalHits` counts those; other tenants’ participants redacted',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/jobs',
    access: 'read',
    // Creates a job upstream: never shared with, or answered from, another tenant's identical call.
    shareable: false,
    query: noQuery,
    needs: ['queues', 'users'],
    body: jsonBody(asyncConversationQuerySchema, rewriteConversationJob),
    response: { kind: 'scoped', scope: scopeJobCreated },
    effect: { kind: 'bind-job' },
    summary: {
      request: 'as the details query; never shared or cached',
      response: '`jobId`, bound once to the tenant (a second binding is refused)',
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
    needs: ['queues', 'users'],
    response: { kind: 'scoped', scope: scopeConversationList, empty: emptyConversationList },
    summary: {
      request: '404 unless the tenant created the job',
      response: 'only conversations whose every `divisionIds` entry is the tenant’s, other tenants’ participants redacted; `cursor` kept',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/analytics/conversations/{conversationId}/details',
    access: 'read',
    query: noQuery,
    needs: ['queues', 'users'],
    response: { kind: 'scoped', scope: scopeConversation },
    summary: { request: 'forwarded', response: '404 unless every `divisionIds` entry is the tenant’s; other tenants’ participants redacted' },
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
      request: 'filter dimension `userId`; every `userId` named must be the tenant’s (403); restricted to the tenant’s users, 100 per upstream query',
      response: 'answers merged; results of other users dropped; detail entries of other users dropped',
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

  // Org-wide reference data: presence definitions name no division unless one is assigned.
  {
    method: 'GET',
    path: '/api/v2/presence/definitions',
    access: 'read',
    query: { single: ['deactivated', 'localeCode'] },
    response: { kind: 'scoped', scope: scopePresenceDefinitions },
    summary: {
      request: 'forwarded (org-wide reference data; `divisionId` not accepted)',
      response: 'definitions assigned to no division (org-wide), or to one of the tenant’s; listed fields only',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/presencedefinitions',
    access: 'read',
    query: { single: ['pageNumber', 'pageSize', 'deleted', 'localeCode'] },
    request: planLegacyPresenceDefinitions,
    response: { kind: 'scoped', scope: scopeLegacyPresenceDefinitions, merge: mergePresenceDefinitions },
    summary: {
      request: 'served from `GET /api/v2/presence/definitions`, which names each definition’s division',
      response: 'as `/api/v2/presence/definitions`, paged by the proxy; creators and modifiers left out',
    },
  },

  // Agent state
  ...agentStateRows,

  // Notifications
  ...notificationRows,
];
