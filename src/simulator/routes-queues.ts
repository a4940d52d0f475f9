import { Router, type Request, type Response } from 'express';
import { isRecord, jsonObjectBody } from './body.js';
import type { SimulatorContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import type { FaultController, FaultKind } from './faults.js';
import { entityListing, pageRequest } from './listing.js';
import { UnknownDivisionError, type QueueInput } from './org.js';
import { QueryParams, nameMatcher } from './query.js';
import { sendEmpty, sendJson } from './respond.js';

const LIST_PARAMS = ['pageSize', 'pageNumber', 'sortOrder', 'name', 'id', 'divisionId', 'peerId', 'cannedResponseLibraryId', 'hasPeer', 'expand'];
const IGNORE_DIVISION_FILTER: ReadonlySet<FaultKind> = new Set<FaultKind>(['ignoreDivisionFilter']);

/** The divisionId filter, unless an `ignoreDivisionFilter` fault says to pretend it was not sent. */
export function divisionFilter(faults: FaultController, req: Request, query: QueryParams): Set<string> {
  if (faults.take(req.method, req.originalUrl.split('?', 1)[0]!, IGNORE_DIVISION_FILTER)) return new Set();
  return new Set(query.list('divisionId'));
}

function queueInput(req: Request): QueueInput {
  const body = jsonObjectBody(req);
  if (typeof body['name'] !== 'string' || body['name'].trim() === '') throw badRequest('The queue name is required.');
  const division = body['division'];
  if (division !== undefined && division !== null && (!isRecord(division) || typeof division['id'] !== 'string')) {
    throw badRequest('division must be an object with an id.');
  }
  const description = typeof body['description'] === 'string' ? body['description'] : undefined;
  return {
    name: body['name'],
    ...(isRecord(division) ? { divisionId: division['id'] as string } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function withKnownDivision<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof UnknownDivisionError) throw badRequest(`The division [${error.divisionId}] does not exist.`);
    throw error;
  }
}

export function queueRoutes({ org, options, faults }: SimulatorContext): Router {
  const router = Router();

  router.get('/routing/queues', (req: Request, res: Response) => {
    const query = QueryParams.of(req);
    query.assertKnown(LIST_PARAMS, options.rejectUnknownQueryParams);
    const page = pageRequest(query, options.maxPageSize);
    const descending = query.oneOf('sortOrder', ['asc', 'desc'], 'asc', 'SortOrder') === 'desc';
    const ids = new Set(query.list('id'));
    const divisions = divisionFilter(faults, req, query);
    const matchesName = nameMatcher(query.get('name'));
    const queues = org
      .queuesByName()
      .filter((queue) => (ids.size === 0 || ids.has(queue.id)) && (divisions.size === 0 || divisions.has(queue.division.id)) && matchesName(queue.name));
    if (descending) queues.reverse();
    sendJson(res, 200, entityListing(queues, page, '/api/v2/routing/queues', query));
  });

  router.post('/routing/queues', (req, res) => {
    const input = queueInput(req);
    sendJson(res, 200, withKnownDivision(() => org.createQueue(input)));
  });

  router.get('/routing/queues/:queueId', (req, res) => {
    QueryParams.of(req).assertKnown(['expand'], options.rejectUnknownQueryParams);
    const queue = org.queue(req.params.queueId);
    if (!queue) throw notFound();
    sendJson(res, 200, queue);
  });

  router.put('/routing/queues/:queueId', (req, res) => {
    if (!org.queue(req.params.queueId)) throw notFound();
    const input = queueInput(req);
    sendJson(res, 200, withKnownDivision(() => org.updateQueue(req.params.queueId, input)));
  });

  router.delete('/routing/queues/:queueId', (req, res) => {
    QueryParams.of(req).assertKnown(['forceDelete'], options.rejectUnknownQueryParams);
    if (!org.deleteQueue(req.params.queueId)) throw notFound();
    sendEmpty(res, 200);
  });

  return router;
}
