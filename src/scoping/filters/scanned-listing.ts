import { positiveInteger, withValues, type QueryValues } from '../query.js';
import type { UpstreamPort } from '../row-strategy.js';
import { isRecord, UnexpectedShapeError } from '../scope.js';

/**
 * Listings that Genesys cannot filter by division (queue members, a queue's wrap-up codes) are
 * read whole, page after page, and paged again by the proxy from the tenant's own items: paged
 * per upstream page, they would come back short while more follow, and their links would say
 * whether hidden items exist.
 */
export const SCAN_PAGE_SIZE = 100;
/** 50 pages of 100: a listing longer than this is refused rather than answered in part. */
export const MAX_SCAN_PAGES = 50;

/** The upstream query of page `pageNumber` of the scan: the tenant's filters, the proxy's paging. */
export function scanPageQuery(query: QueryValues, pageNumber: number): QueryValues {
  let upstream = withValues(query, 'pageSize', [String(SCAN_PAGE_SIZE)]);
  upstream = withValues(upstream, 'pageNumber', [String(pageNumber)]);
  return upstream;
}

/** Whether a scanned page says another follows: a `nextUri`, and a full page. */
export function scanContinues(body: unknown): boolean {
  if (!isRecord(body) || !Array.isArray(body['entities'])) throw new UnexpectedShapeError('a listing without an entities array');
  return typeof body['nextUri'] === 'string' && body['entities'].length > 0;
}

/** Joins the scanned pages into one listing of every item, in Genesys's order. */
export function mergeScannedPages(bodies: readonly unknown[]): { entities: unknown[] } {
  const entities: unknown[] = [];
  for (const body of bodies) {
    if (!isRecord(body) || !Array.isArray(body['entities'])) throw new UnexpectedShapeError('a listing without an entities array');
    entities.push(...(body['entities'] as unknown[]));
  }
  return { entities };
}

/** The page the tenant asked for: Genesys's defaults and cap. */
export function requestedPage(query: QueryValues, maxPageSize: number): { pageSize: number; pageNumber: number } {
  return { pageSize: Math.min(positiveInteger(query, 'pageSize', 25), maxPageSize), pageNumber: positiveInteger(query, 'pageNumber', 1) };
}

/**
 * Reads every page of a listing through `readPage` (one Genesys call each), up to
 * MAX_SCAN_PAGES; a longer listing fails closed (502) rather than being answered in part.
 */
export async function readWhole(readPage: (query: QueryValues) => Promise<unknown>, query: QueryValues): Promise<{ entities: unknown[] }> {
  const bodies: unknown[] = [];
  for (let page = 1; page <= MAX_SCAN_PAGES; page += 1) {
    const body = await readPage(scanPageQuery(query, page));
    bodies.push(body);
    if (!scanContinues(body)) return mergeScannedPages(bodies);
  }
  throw new UnexpectedShapeError(`a listing longer than ${MAX_SCAN_PAGES} pages`);
}

/** Pages of the listing at `path`, read through a row strategy's port to Genesys. */
export function pagesThrough(upstream: UpstreamPort, path: string): (query: QueryValues) => Promise<unknown> {
  return async (query) => (await upstream.call({ method: 'GET', path, query })).json;
}
