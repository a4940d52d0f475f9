import { jsonBody, type RouteRule } from '../route-rule.js';
import { planBulkPresence, scopeBulkPresence, scopeRoutingStatus, scopeSystemPresences, scopeUserPresence, MAX_BULK_PRESENCE_IDS } from './presence.js';
import { emptyUserDetails, rewriteUserDetailsQuery, scopeUserDetails, userDetailsQuerySchema } from './user-details.js';

/** What a workforce scheduler reads about agents' state: presence, routing status and their history. */
export const agentStateRows: readonly RouteRule[] = [
  {
    method: 'GET',
    path: '/api/v2/users/presences/purecloud/bulk',
    access: 'read',
    query: { multi: ['id'] },
    needs: ['users'],
    request: planBulkPresence,
    response: { kind: 'scoped', scope: scopeBulkPresence },
    summary: {
      request: `\`id\` required, at most ${MAX_BULK_PRESENCE_IDS}, every one the tenant’s user (403 otherwise, unknown ids alike)`,
      response: 'presences of the users asked for only; documented fields only',
    },
  },
  {
    method: 'GET',
    path: '/api/v2/users/{userId}/routingstatus',
    access: 'read',
    query: {},
    owns: [{ param: 'userId', kind: 'user' }],
    response: { kind: 'scoped', scope: scopeRoutingStatus },
    summary: { request: '404 unless the user is the tenant’s', response: '`userId`, `status`, `startTime` of that user only' },
  },
  {
    method: 'GET',
    path: '/api/v2/users/{userId}/presences/purecloud',
    access: 'read',
    query: {},
    owns: [{ param: 'userId', kind: 'user' }],
    response: { kind: 'scoped', scope: scopeUserPresence },
    summary: { request: '404 unless the user is the tenant’s', response: 'documented presence fields only' },
  },
  {
    method: 'GET',
    path: '/api/v2/systempresences',
    access: 'read',
    query: {},
    response: { kind: 'scoped', scope: scopeSystemPresences },
    summary: {
      request: 'forwarded: org-wide, the fixed system presences, the same for every tenant',
      response: '`id`, `name`, `selfUri` of each',
    },
  },
  {
    method: 'POST',
    path: '/api/v2/analytics/users/details/query',
    access: 'read',
    query: {},
    needs: ['users'],
    body: jsonBody(userDetailsQuerySchema, rewriteUserDetailsQuery),
    response: { kind: 'scoped', scope: scopeUserDetails, empty: emptyUserDetails },
    summary: {
      request: 'every `userId` named must be the tenant’s (403); user filters restricted to the tenant’s users in one query; aggregations refused (400)',
      response: '`userDetails` of the tenant’s users, documented fields only; paging and `totalHits` are Genesys’s over those users (502 if any other user appears)',
    },
  },
];
