import { Router } from 'express';
import type { SimulatorContext } from './context.js';
import { badRequest } from './errors.js';
import { entityListing, pageRequest, type EntityListing } from './listing.js';
import type { DivisionRef, Queue } from './model.js';
import { QueryParams, nameMatcher } from './query.js';
import { sendJson } from './respond.js';
import { divisionFilter } from './routes-queues.js';

const VIEW_PARAMS = ['pageSize', 'pageNumber', 'sortBy', 'sortOrder', 'name', 'id', 'divisionId'];
const ALL_VIEW_PARAMS = ['pageSize', 'pageNumber', 'sortOrder'];
const SORT_KEYS = ['name', 'id', 'divisionId'] as const;
/** Genesys documents these caps for the division views. */
const VIEW_MAX_PAGE_SIZE = 100;
const VIEW_MAX_PAGE_NUMBER = 5;
const ALL_VIEW_MAX_PAGE_SIZE = 500;

interface QueueView {
  id: string;
  name: string;
  division: DivisionRef;
}

/** Division views answer "simplified queue objects". */
const viewListing = (listing: EntityListing<Queue>): EntityListing<QueueView> => ({
  ...listing,
  entities: listing.entities.map((queue) => ({ id: queue.id, name: queue.name, division: queue.division })),
});

export function queueViewRoutes({ org, options, faults }: SimulatorContext): Router {
  const router = Router();
  const sortCache = new Map<string, { revision: number; queues: readonly Queue[] }>();

  const sorted = (key: (typeof SORT_KEYS)[number]): readonly Queue[] => {
    if (key === 'name') return org.queuesByName();
    const cached = sortCache.get(key);
    if (cached?.revision === org.revision) return cached.queues;
    const sortKey = (queue: Queue) => (key === 'id' ? queue.id : `${queue.division.id}|${queue.name.toLowerCase()}`);
    const queues = [...org.queues].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    sortCache.set(key, { revision: org.revision, queues });
    return queues;
  };

  router.get('/routing/queues/divisionviews', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(VIEW_PARAMS, options.rejectUnknownQueryParams);
    const page = pageRequest(query, VIEW_MAX_PAGE_SIZE);
    if (page.pageNumber > VIEW_MAX_PAGE_NUMBER) throw badRequest(`pageNumber must be at most ${VIEW_MAX_PAGE_NUMBER}.`);
    const sortBy = query.oneOf('sortBy', SORT_KEYS, 'name', 'QueueSortBy');
    const descending = query.oneOf('sortOrder', ['asc', 'desc'], 'asc', 'SortOrder') === 'desc';
    const ids = new Set(query.list('id'));
    const divisions = divisionFilter(faults, req, query);
    const anyDivision = divisions.size === 0 || divisions.has('*');
    const matchesName = nameMatcher(query.get('name'));
    const queues = sorted(sortBy).filter(
      (queue) => (ids.size === 0 || ids.has(queue.id)) && (anyDivision || divisions.has(queue.division.id)) && matchesName(queue.name),
    );
    if (descending) queues.reverse();
    sendJson(res, 200, viewListing(entityListing(queues, page, '/api/v2/routing/queues/divisionviews', query)));
  });

  router.get('/routing/queues/divisionviews/all', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(ALL_VIEW_PARAMS, options.rejectUnknownQueryParams);
    const page = pageRequest(query, ALL_VIEW_MAX_PAGE_SIZE);
    const descending = query.oneOf('sortOrder', ['asc', 'desc'], 'asc', 'SortOrder') === 'desc';
    const all = org.queuesByName();
    const queues = descending ? [...all].reverse() : all;
    sendJson(res, 200, viewListing(entityListing(queues, page, '/api/v2/routing/queues/divisionviews/all', query)));
  });

  return router;
}
