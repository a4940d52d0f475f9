import { Router } from 'express';
import { routingStatusOf } from './agent-state.js';
import type { SimulatorContext } from './context.js';
import { notFound } from './errors.js';
import { entityListing, openEndedListing, pageRequest } from './listing.js';
import type { User } from './model.js';
import { QueryParams, nameMatcher } from './query.js';
import { sendJson } from './respond.js';
import { isJoined } from './seed-org.js';

const MEMBER_PARAMS = ['pageNumber', 'pageSize', 'sortOrder', 'expand', 'name', 'profileSkills', 'skills', 'languages', 'routingStatus', 'presence', 'memberBy', 'joined'];
const WRAPUP_PARAMS = ['pageSize', 'pageNumber', 'sortOrder', 'name'];
/** Genesys clamps member pages at 100 (staff answer on the developer forum). */
const MEMBER_MAX_PAGE_SIZE = 100;

interface QueueMember {
  id: string;
  name: string;
  user: User;
  ringNumber: number;
  joined: boolean;
  memberBy: 'user';
  routingStatus?: { userId: string; status: string; startTime: string };
  selfUri: string;
}

export function queueMemberRoutes({ org, options }: SimulatorContext): Router {
  const router = Router();

  // `/users` is the deprecated twin of `/members`, with the same data.
  router.get(['/routing/queues/:queueId/members', '/routing/queues/:queueId/users'], (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(MEMBER_PARAMS, options.rejectUnknownQueryParams);
    const queueId = req.params.queueId as string;
    const memberIds = org.queue(queueId) ? org.queueMembers.get(queueId) : undefined;
    if (!memberIds) throw notFound();
    const page = pageRequest(query, MEMBER_MAX_PAGE_SIZE);
    const descending = query.oneOf('sortOrder', ['asc', 'desc'], 'asc', 'SortOrder') === 'desc';
    const joined = query.bool('joined');
    const memberBy = query.get('memberBy');
    const matchesName = nameMatcher(query.get('name'));
    const withRoutingStatus = query.list('expand').includes('routingStatus');
    const members = memberIds
      .map((id) => org.user(id))
      .filter((user): user is User => user !== undefined && matchesName(user.name))
      .map((user): QueueMember => ({
        id: user.id,
        name: user.name,
        user,
        ringNumber: 1,
        joined: isJoined(queueId, user.id),
        memberBy: 'user',
        ...(withRoutingStatus ? { routingStatus: routingStatusOf(user.id) } : {}),
        selfUri: `/api/v2/routing/queues/${queueId}/members/${user.id}`,
      }))
      .filter((member) => (joined === undefined || member.joined === joined) && (memberBy === undefined || memberBy === 'user'))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id < b.id ? -1 : 1));
    if (descending) members.reverse();
    sendJson(res, 200, openEndedListing(members, page, req.originalUrl.split('?', 1)[0]!, query));
  });

  router.get('/routing/queues/:queueId/wrapupcodes', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(WRAPUP_PARAMS, options.rejectUnknownQueryParams);
    if (!org.queue(req.params.queueId)) throw notFound();
    const page = pageRequest(query, options.maxPageSize);
    const matchesName = nameMatcher(query.get('name'));
    const codes = org
      .wrapupCodesOf(req.params.queueId)
      .filter((code) => matchesName(code.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    sendJson(res, 200, entityListing(codes, page, `/api/v2/routing/queues/${req.params.queueId}/wrapupcodes`, query));
  });

  return router;
}
