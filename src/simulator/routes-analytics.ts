import { Router } from 'express';
import { aggregate, parseAggregateQuery, type AggregateSource } from './analytics-aggregates.js';
import { AGGREGATE_DIMENSIONS } from './analytics-conversations.js';
import { parseDetailsSelection, parsePaging, selectConversations } from './analytics-details.js';
import {
  QUEUE_OBSERVATION_DIMENSIONS,
  QUEUE_OBSERVATION_METRICS,
  USER_OBSERVATION_DIMENSIONS,
  USER_OBSERVATION_METRICS,
  parseObservationQuery,
  queueObservations,
  userObservations,
  userStatusRows,
} from './analytics-observations.js';
import { jsonObjectBody } from './body.js';
import type { SimulatorContext } from './context.js';
import { notFound } from './errors.js';
import { QueryParams } from './query.js';
import { sendJson } from './respond.js';

export const CONVERSATION_AGGREGATE_METRICS = [
  'nBlindTransferred', 'nConnected', 'nConsult', 'nConsultTransferred', 'nError', 'nOffered', 'nOutbound', 'nOutboundAbandoned',
  'nOutboundAttempted', 'nOutboundConnected', 'nOverSla', 'nTransferred', 'oExternalMediaCount', 'oMediaCount', 'oServiceLevel',
  'oServiceTarget', 'tAbandon', 'tAcd', 'tAcw', 'tAgentResponseTime', 'tAlert', 'tAnswered', 'tConnected', 'tContacting', 'tDialing',
  'tFlowOut', 'tHandle', 'tHeld', 'tHeldComplete', 'tIvr', 'tMonitoring', 'tNotResponding', 'tShortAbandon', 'tTalk', 'tTalkComplete',
  'tUserResponseTime', 'tVoicemail', 'tWait',
];
const USER_AGGREGATE_METRICS = ['tAgentRoutingStatus', 'tOrganizationPresence', 'tSystemPresence'];

export function analyticsRoutes({ org, options, conversations }: SimulatorContext): Router {
  const router = Router();
  // A metric counts where it was emitted: its session's queue, agent, media type…
  const conversationRows: AggregateSource[] = conversations.flatMap((entry) => entry.sessions.map((session) => ({ at: entry.start, values: session.values, metrics: session.metrics })));
  let userRows: AggregateSource[] | undefined;
  /** Genesys leaves out empty arrays; the option keeps them for clients that want to see them. */
  const listOf = (key: string, items: readonly unknown[]) => (items.length === 0 && options.omitEmptyAnalyticsResults ? {} : { [key]: items });

  router.post('/analytics/queues/observations/query', (req, res) => {
    const query = parseObservationQuery(jsonObjectBody(req), QUEUE_OBSERVATION_DIMENSIONS, QUEUE_OBSERVATION_METRICS, 'QueueObservationQueryMetric');
    sendJson(res, 200, queueObservations(org, query));
  });

  router.post('/analytics/users/observations/query', (req, res) => {
    const query = parseObservationQuery(jsonObjectBody(req), USER_OBSERVATION_DIMENSIONS, USER_OBSERVATION_METRICS, 'UserObservationQueryMetric');
    sendJson(res, 200, userObservations(org, query));
  });

  router.post('/analytics/users/aggregates/query', (req, res) => {
    const query = parseAggregateQuery(jsonObjectBody(req), USER_OBSERVATION_DIMENSIONS, USER_AGGREGATE_METRICS, 'UserAggregationQueryMetric');
    userRows ??= userStatusRows(org);
    // Users aggregates are always grouped by user.
    sendJson(res, 200, listOf('results', aggregate(userRows, { ...query, groupBy: ['userId'] })));
  });

  router.post('/analytics/conversations/aggregates/query', (req, res) => {
    const query = parseAggregateQuery(jsonObjectBody(req), AGGREGATE_DIMENSIONS, CONVERSATION_AGGREGATE_METRICS, 'ConversationAggregationQueryMetric');
    sendJson(res, 200, listOf('results', aggregate(conversationRows, query)));
  });

  router.post('/analytics/conversations/details/query', (req, res) => {
    const body = jsonObjectBody(req);
    const selected = selectConversations(conversations, parseDetailsSelection(body));
    const paging = parsePaging(body['paging']);
    const start = (paging.pageNumber - 1) * paging.pageSize;
    sendJson(res, 200, { ...listOf('conversations', selected.slice(start, start + paging.pageSize)), totalHits: selected.length });
  });

  router.get('/analytics/conversations/details', (req, res) => {
    const found = QueryParams.of(req)
      .list('id')
      .map((id) => org.conversation(id))
      .filter((conversation) => conversation !== undefined);
    sendJson(res, 200, listOf('conversations', found));
  });

  router.get('/analytics/conversations/:conversationId/details', (req, res) => {
    const conversation = org.conversation(req.params.conversationId);
    if (!conversation) throw notFound();
    sendJson(res, 200, conversation);
  });

  return router;
}
