import { Router } from 'express';
import type { SimulatorContext } from './context.js';
import { notFound } from './errors.js';
import { entityListing, pageRequest } from './listing.js';
import type { AuthzDivision } from './model.js';
import { QueryParams, nameMatcher } from './query.js';
import { sendJson } from './respond.js';

const USER_PARAMS = ['pageSize', 'pageNumber', 'id', 'jabberId', 'sortOrder', 'expand', 'integrationPresenceSource', 'state', 'userCustomAttributeSchemaIds'];
const DIVISION_PARAMS = ['pageSize', 'pageNumber', 'sortBy', 'expand', 'nextPage', 'previousPage', 'objectCount', 'id', 'name'];
const USER_STATES = ['active', 'inactive', 'deleted', 'any'] as const;

/** Users and authorization divisions: the directory a tenant's entities hang off. */
export function directoryRoutes({ org, options }: SimulatorContext): Router {
  const router = Router();
  const divisionsByName = [...org.divisions].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));

  const withCounts = (division: AuthzDivision, objectCount: boolean | undefined) =>
    objectCount ? { ...division, objectCounts: org.objectCounts(division.id) } : division;

  router.get('/users', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(USER_PARAMS, options.rejectUnknownQueryParams);
    const page = pageRequest(query, options.maxPageSize);
    const descending = query.oneOf('sortOrder', ['ascending', 'descending'], 'ascending', 'SortOrder') === 'descending';
    const state = query.oneOf('state', USER_STATES, 'active', 'UserState');
    const ids = new Set(query.list('id'));
    const users = org.usersByName.filter((user) => (ids.size === 0 || ids.has(user.id)) && (state === 'any' || user.state === state));
    if (descending) users.reverse();
    sendJson(res, 200, entityListing(users, page, '/api/v2/users', query));
  });

  router.get('/users/:userId', (req, res) => {
    const user = org.user(req.params.userId);
    if (!user) throw notFound();
    sendJson(res, 200, user);
  });

  router.get('/authorization/divisions', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(DIVISION_PARAMS, options.rejectUnknownQueryParams);
    const page = pageRequest(query, options.maxPageSize);
    const ids = new Set(query.list('id'));
    const matchesName = nameMatcher(query.get('name'));
    const objectCount = query.bool('objectCount');
    const divisions = divisionsByName.filter((division) => (ids.size === 0 || ids.has(division.id)) && matchesName(division.name));
    const listing = entityListing(divisions, page, '/api/v2/authorization/divisions', query);
    sendJson(res, 200, { ...listing, entities: listing.entities.map((division) => withCounts(division, objectCount)) });
  });

  router.get('/authorization/divisions/home', (req, res) => {
    sendJson(res, 200, withCounts(org.homeDivision, QueryParams.of(req).bool('objectCount')));
  });

  router.get('/authorization/divisions/:divisionId', (req, res) => {
    const division = org.division(req.params.divisionId);
    if (!division) throw notFound();
    sendJson(res, 200, withCounts(division, QueryParams.of(req).bool('objectCount')));
  });

  return router;
}
