import { positiveInteger, singleValue, withValues, type QueryValues } from '../query.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { referenceCheckOf } from '../projection.js';
import { scopeEntity, selectOwn } from './entity.js';
import { openOwnedListing, scopeProjectedListing, type ListingOptions } from './listing.js';
import { byteListingScoper } from '../bytes/byte-listing.js';
import { listingStreamScoper } from '../bytes/listing-stream.js';
import type { RowStrategy } from '../row-strategy.js';
import { pagesThrough, readWhole, requestedPage } from './scanned-listing.js';

/**
 * Queue listings are asked for with the tenant's divisions. The queue directory knows how many
 * queues the tenant has (a queue created in Genesys in the last minute aside, which at worst makes
 * the proxy rebuild a total it could have trusted).
 */
export function queueListingOptions(context: ResponseContext): ListingOptions {
  return { hasTotals: true, upstreamFiltered: true, ceiling: context.facts.queues.idsIn(context.scope.divisions).length };
}

/** `GET /routing/queues` and `/divisionviews`: only queues whose division is the tenant's. */
export function scopeQueueListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeProjectedListing(body, context, selectOwn('queue', context), queueListingOptions(context));
}

/** Division views answer "simplified queue objects"; the proxy keeps them that simple. */
export function scopeQueueViewListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeProjectedListing(body, context, selectOwn('queue view', context), queueListingOptions(context));
}

/** The same two listings scoped on their bytes (`bytes/byte-listing.ts`), which these hold to account. */
export const scopeQueueListingBytes = byteListingScoper('queue', queueListingOptions);
export const scopeQueueViewListingBytes = byteListingScoper('queue view', queueListingOptions);
export const streamQueueListing = listingStreamScoper('queue', queueListingOptions);
export const streamQueueViewListing = listingStreamScoper('queue view', queueListingOptions);

/** Genesys's cap for `/divisionviews/all`; the proxy answers it from `/routing/queues`. */
const ALL_VIEWS_MAX_PAGE_SIZE = 500;

/**
 * `GET /routing/queues/divisionviews/all` has no division filter upstream: forwarded, it would
 * count and list every tenant's queues. It is served from `/routing/queues` with the tenant's
 * divisions instead, so Genesys's totals count only the tenant's queues.
 */
export function planAllQueueViews({ query, scope }: RequestInput): RequestPlan {
  const pageSize = Math.min(positiveInteger(query, 'pageSize', 25), ALL_VIEWS_MAX_PAGE_SIZE);
  let upstream: QueryValues = new Map([
    ['pageSize', [String(pageSize)]],
    ['pageNumber', [String(positiveInteger(query, 'pageNumber', 1))]],
  ]);
  const sortOrder = singleValue(query, 'sortOrder');
  if (sortOrder !== undefined) upstream = withValues(upstream, 'sortOrder', [sortOrder]);
  return forward(withValues(upstream, 'divisionId', scope.divisionIds), undefined, '/api/v2/routing/queues');
}

/** `GET /routing/queues/{id}`: a foreign queue answers exactly like a missing one. */
export const scopeQueue = scopeEntity('queue');


/** Genesys clamps member pages at 100. */
const MEMBERS_MAX_PAGE_SIZE = 100;

/**
 * A queue may hold agents of other divisions. A member is the tenant's when its user is: the
 * division Genesys embeds in `user` and the user directory must both say so (one may be silent),
 * and the member is projected through its field table.
 */
function selectOwnMember(context: ResponseContext): (member: unknown) => Record<string, unknown> | undefined {
  const check = referenceCheckOf(context);
  return selectOwn('queue member', context, (member) => {
    if (!isRecord(member)) return false;
    if (isRecord(member['user'])) return true;
    return typeof member['id'] === 'string' && check.isOwn('user', member['id']);
  });
}

/**
 * `GET /routing/queues/{id}/members` (and the deprecated `/users`), on one upstream page: members
 * of other divisions are dropped from the page.
 */
export function scopeQueueMemberListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeProjectedListing(body, context, selectOwnMember(context), { hasTotals: false, upstreamFiltered: false });
}

/**
 * The same listing read whole (every upstream page, merged): the proxy pages the tenant's own
 * members itself, so pages are full but the last and `nextUri` names no hidden member.
 */
export function scopeScannedQueueMembers(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body) || !Array.isArray(body['entities'])) throw new UnexpectedShapeError('a listing without an entities array');
  const all = body['entities'] as unknown[];
  const select = selectOwnMember(context);
  const own = all.map(select).filter((member) => member !== undefined);
  const { pageSize, pageNumber } = requestedPage(context.query, MEMBERS_MAX_PAGE_SIZE);
  const listing = openOwnedListing(context, own, pageSize, pageNumber);
  return { kind: 'ok', body: listing, kept: (listing['entities'] as unknown[]).length, removed: all.length - own.length };
}

/** The members rows' strategy: every page of the queue's members, then the tenant's page of its own. */
export const readQueueMembers: RowStrategy = async (input, upstream) =>
  scopeScannedQueueMembers(await readWhole(pagesThrough(upstream, input.path), input.query), input);
