import type { RowStrategy } from '../row-strategy.js';
import type { ResponseContext, ScopedResponse } from '../scope.js';
import { selectOwn } from './entity.js';
import { ownedListing, scopeProjectedListing } from './listing.js';
import { pagesThrough, readWhole, requestedPage } from './scanned-listing.js';

/** Genesys documents no cap for this listing; the proxy pages at most this many codes. */
const WRAPUP_CODES_MAX_PAGE_SIZE = 100;

/**
 * `GET /routing/queues/{queueId}/wrapupcodes`, on one upstream page: a queue of the tenant's may
 * carry wrap-up codes of other divisions (`WrapupCode.division`). Only codes in the tenant's
 * divisions are kept, each projected through its field table, and totals and links are rebuilt,
 * since Genesys's total counted every code on the queue.
 */
export function scopeWrapupCodeListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeProjectedListing(body, context, selectOwn('wrap-up code', context), { hasTotals: true, upstreamFiltered: false });
}

/**
 * The row's strategy: the listing has no division filter, so it is read whole and paged again
 * from the tenant's own codes: pages are full but the last, and `total`, `pageCount` and the
 * links count only the tenant's codes.
 */
export const readWrapupCodes: RowStrategy = async (input, upstream) => {
  const whole = await readWhole(pagesThrough(upstream, input.path), input.query);
  const own = whole.entities.map(selectOwn('wrap-up code', input)).filter((code) => code !== undefined);
  const { pageSize, pageNumber } = requestedPage(input.query, WRAPUP_CODES_MAX_PAGE_SIZE);
  const start = (pageNumber - 1) * pageSize;
  const page = own.slice(start, start + pageSize);
  return { kind: 'ok', body: ownedListing(input, page, pageSize, pageNumber, own.length), kept: page.length, removed: whole.entities.length - own.length };
};
