import { Router } from 'express';
import { matchesFilter, parseFilterList, type AnalyticsFilter } from './analytics-filter.js';
import { parseInterval } from './analytics-interval.js';
import { parsePaging } from './analytics-details.js';
import { presenceIdOf, type AgentStates } from './agent-states.js';
import { jsonObjectBody } from './body.js';
import type { SimulatorContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { QueryParams } from './query.js';
import { sendJson } from './respond.js';

const SYSTEM_PRESENCE_NAMES = ['Available', 'Away', 'Busy', 'Offline', 'Idle', 'On Queue', 'Meal', 'Training', 'Meeting', 'Break'];
const PURECLOUD_SOURCE = 'PURECLOUD';

const USER_FILTERS = { fieldType: 'UserDetailQueryPredicateDimension', dimensions: ['userId'] };
const PRESENCE_FILTERS = { fieldType: 'PresenceDetailQueryPredicateDimension', dimensions: ['organizationPresenceId', 'systemPresence'] };
const ROUTING_FILTERS = { fieldType: 'RoutingStatusDetailQueryPredicateDimension', dimensions: ['routingStatus'] };

/** Presence and routing status of agents, now (`/users/...`) and as history (`/analytics/users/details/query`). */
export function agentStateRoutes({ org }: SimulatorContext, states: AgentStates): Router {
  const router = Router();

  const presence = (userId: string) => {
    const state = states.of(userId);
    const definition = { id: presenceIdOf(state.systemPresence), systemPresence: state.systemPresence, selfUri: `/api/v2/presencedefinitions/${presenceIdOf(state.systemPresence)}` };
    return { id: PURECLOUD_SOURCE, name: 'Genesys Cloud', source: PURECLOUD_SOURCE, sourceId: PURECLOUD_SOURCE, primary: true, presenceDefinition: definition, message: '', modifiedDate: state.presenceModified };
  };

  router.get('/users/presences/purecloud/bulk', (req, res) => {
    const ids = QueryParams.of(req).list('id');
    if (ids.length > 50) throw badRequest('Limit of 50 ids exceeded.');
    const known = ids.filter((id) => org.user(id) !== undefined);
    sendJson(res, 200, known.map((userId) => ({ ...presence(userId), userId, selfUri: `/api/v2/users/${userId}/presences/purecloud` })));
  });

  // Genesys answers OFF_QUEUE for a user that does not exist.
  router.get('/users/:userId/routingstatus', (req, res) => {
    const state = states.of(req.params.userId);
    const status = org.user(req.params.userId) ? state.routingStatus : 'OFF_QUEUE';
    sendJson(res, 200, { userId: req.params.userId, status, startTime: state.routingStarted });
  });

  router.get('/users/:userId/presences/purecloud', (req, res) => {
    if (!org.user(req.params.userId)) throw notFound();
    sendJson(res, 200, { ...presence(req.params.userId), selfUri: `/api/v2/users/${req.params.userId}/presences/purecloud` });
  });

  router.get('/systempresences', (_req, res) => {
    sendJson(res, 200, SYSTEM_PRESENCE_NAMES.map((name) => {
      const id = name.toUpperCase().replace(' ', '_');
      return { id, name, selfUri: `/api/v2/systempresences/${id}` };
    }));
  });

  router.post('/analytics/users/details/query', (req, res) => {
    const body = jsonObjectBody(req);
    for (const field of ['presenceAggregations', 'routingStatusAggregations']) if (body[field] !== undefined) throw badRequest(`${field} is not supported by the simulator.`);
    const interval = parseInterval(body['interval']);
    const userFilters = parseFilterList(body['userFilters'], USER_FILTERS, 'userFilters');
    const presenceFilters = parseFilterList(body['presenceFilters'], PRESENCE_FILTERS, 'presenceFilters');
    const routingFilters = parseFilterList(body['routingStatusFilters'], ROUTING_FILTERS, 'routingStatusFilters');
    const all = (filters: readonly AnalyticsFilter[], values: (dimension: string) => readonly string[]) => filters.every((filter) => matchesFilter(filter, values));
    const start = new Date(interval.start).toISOString();
    const end = new Date(interval.end).toISOString();
    const details = [...org.users]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .filter((user) => all(userFilters, (dimension) => (dimension === 'userId' ? [user.id] : [])))
      .map((user) => {
        const state = states.of(user.id);
        return {
          userId: user.id,
          primaryPresence: [{ startTime: start, endTime: end, systemPresence: state.systemPresence, organizationPresenceId: presenceIdOf(state.systemPresence) }],
          routingStatus: [{ startTime: start, endTime: end, routingStatus: state.routingStatus }],
        };
      })
      .filter((detail) =>
        all(presenceFilters, (dimension) => (dimension === 'systemPresence' ? [detail.primaryPresence[0]!.systemPresence] : [detail.primaryPresence[0]!.organizationPresenceId])) &&
        all(routingFilters, () => [detail.routingStatus[0]!.routingStatus]));
    if (body['order'] === 'desc') details.reverse();
    const paging = parsePaging(body['paging']);
    const from = (paging.pageNumber - 1) * paging.pageSize;
    const page = details.slice(from, from + paging.pageSize);
    sendJson(res, 200, { ...(page.length > 0 ? { userDetails: page } : {}), totalHits: details.length });
  });

  return router;
}
