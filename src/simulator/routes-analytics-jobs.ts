import { Router } from 'express';
import { parseDetailsSelection, selectConversations } from './analytics-details.js';
import { jsonObjectBody } from './body.js';
import type { SimulatorContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { QueryParams } from './query.js';
import { sendEmpty, sendJson } from './respond.js';

/** Seeded conversations all end before this, so all of them are available. */
const DATA_AVAILABILITY_DATE = '2026-11-20T00:00:00.000Z';
const DEFAULT_RESULTS_PAGE_SIZE = 1000;
const MAX_RESULTS_PAGE_SIZE = 10_000;

const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badRequest(`The cursor [${cursor}] is not valid for this job.`);
  return Number(match[1]);
}

export function analyticsJobRoutes({ jobs, conversations }: SimulatorContext): Router {
  const router = Router();
  const base = '/analytics/conversations/details/jobs';

  router.post(base, (req, res) => {
    const body = jsonObjectBody(req);
    const selected = selectConversations(conversations, parseDetailsSelection(body));
    const limit = typeof body['limit'] === 'number' && body['limit'] > 0 ? body['limit'] : undefined;
    sendJson(res, 202, { jobId: jobs.submit(limit === undefined ? selected : selected.slice(0, limit)) });
  });

  router.get(`${base}/availability`, (_req, res) => {
    sendJson(res, 200, { dataAvailabilityDate: DATA_AVAILABILITY_DATE });
  });

  router.get(`${base}/:jobId`, (req, res) => {
    const status = jobs.poll(req.params.jobId);
    if (!status) throw notFound();
    sendJson(res, 200, status);
  });

  router.get(`${base}/:jobId/results`, (req, res) => {
    const results = jobs.results(req.params.jobId);
    if (!results) throw notFound();
    if (results === 'pending') throw badRequest('The job has not been fulfilled yet; poll its status first.');
    const query = QueryParams.of(req);
    const offset = decodeCursor(query.get('cursor'));
    const pageSize = Math.min(query.int('pageSize', DEFAULT_RESULTS_PAGE_SIZE), MAX_RESULTS_PAGE_SIZE);
    const page = results.slice(offset, offset + pageSize);
    const next = offset + pageSize < results.length ? { cursor: encodeCursor(offset + pageSize) } : {};
    sendJson(res, 200, { conversations: page, ...next, dataAvailabilityDate: DATA_AVAILABILITY_DATE });
  });

  router.delete(`${base}/:jobId`, (req, res) => {
    if (!jobs.delete(req.params.jobId)) throw notFound();
    sendEmpty(res, 204);
  });

  return router;
}
