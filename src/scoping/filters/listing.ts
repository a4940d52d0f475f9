import { serializeQuery, withValues, type QueryValues } from '../query.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';

export interface ListingOptions {
  /** Queue-member listings carry no total, lastUri or pageCount; we must not invent them. */
  readonly hasTotals: boolean;
  /**
   * True only when the tenant's divisions were pushed upstream as a filter, so Genesys's total
   * already counts only the tenant's entities. Otherwise the total is derived from the pages.
   */
  readonly upstreamFiltered: boolean;
  /**
   * The most entities the tenant can have in this listing, when the proxy knows it. An upstream
   * total above it counted entities of other divisions (Genesys ignored the pushed filter, and this
   * page happened to hold only the tenant's), so it is not shown.
   */
  readonly ceiling?: number;
}

/**
 * Keeps the listing's entities for which `keep` is true and rewrites the envelope so that it
 * describes only what the tenant may see. Paging links are rebuilt from the tenant's own query:
 * the upstream's links carry the proxy's injected filters and must not be echoed.
 */
export function scopeListing(body: unknown, context: ResponseContext, keep: (entity: unknown) => boolean, options: ListingOptions): ScopedResponse {
  return scopeProjectedListing(body, context, (entity) => (keep(entity) ? (entity as object) : undefined), options);
}

/** As `scopeListing`, with `select` answering each kept entity as the tenant sees it (projected), or undefined. */
export function scopeProjectedListing(
  body: unknown,
  context: ResponseContext,
  select: (entity: unknown) => object | undefined,
  options: ListingOptions,
): ScopedResponse {
  if (!isRecord(body) || !Array.isArray(body['entities'])) {
    throw new UnexpectedShapeError('a listing without an entities array');
  }
  const entities = body['entities'] as unknown[];
  const kept = entities.map(select).filter((entity) => entity !== undefined);
  const envelope = listingEnvelope(body, entities.length, kept.length, context, options);
  return { kind: 'ok', body: { entities: kept, ...envelope }, kept: kept.length, removed: entities.length - kept.length };
}

/** The fields of an upstream listing's envelope that the tenant's envelope is computed from. */
export const UPSTREAM_PAGING_KEYS = ['pageSize', 'pageNumber', 'total', 'pageCount', 'nextUri'] as const;

/** The paging fields of an upstream listing, as Genesys sent them (anything, until checked). */
export type UpstreamPaging = { readonly [K in (typeof UPSTREAM_PAGING_KEYS)[number]]?: unknown };

/**
 * Everything of a scoped listing but its entities, in the order the tenant gets it: paging, and
 * totals and links that describe only what the tenant may see. The byte scoper writes the same.
 */
export function listingEnvelope(upstream: UpstreamPaging, entityCount: number, keptCount: number, context: ResponseContext, options: ListingOptions): Record<string, unknown> {
  const removed = entityCount - keptCount;
  const pageSize = positive(upstream.pageSize, Math.max(entityCount, 1));
  const pageNumber = positive(upstream.pageNumber, 1);
  const hasNext = typeof upstream.nextUri === 'string';
  const link = (page: number) => pageLink(context.path, context.query, pageSize, page);

  const scoped: Record<string, unknown> = { pageSize, pageNumber };
  if (options.hasTotals) {
    let total = nonNegative(upstream.total);
    let pageCount = nonNegative(upstream.pageCount);
    const overCeiling = options.ceiling !== undefined && total !== undefined && total > options.ceiling;
    if (!options.upstreamFiltered || removed > 0 || total === undefined || pageCount === undefined || overCeiling) {
      // The upstream total counted entities the tenant may not see; derive the numbers from the
      // tenant's own view of the pages instead, so no other tenant's count shows through.
      pageCount = hasNext ? pageNumber + 1 : pageNumber;
      total = hasNext ? pageNumber * pageSize : (pageNumber - 1) * pageSize + keptCount;
    }
    scoped['total'] = total;
    scoped['pageCount'] = pageCount;
    scoped['firstUri'] = link(1);
    scoped['selfUri'] = link(pageNumber);
    if (hasNext) scoped['nextUri'] = link(pageNumber + 1);
    if (pageNumber > 1) scoped['previousUri'] = link(pageNumber - 1);
    scoped['lastUri'] = link(Math.max(pageCount, 1));
  } else {
    scoped['firstUri'] = link(1);
    scoped['selfUri'] = link(pageNumber);
    if (hasNext) scoped['nextUri'] = link(pageNumber + 1);
    if (pageNumber > 1) scoped['previousUri'] = link(pageNumber - 1);
  }
  return scoped;
}

/**
 * A listing envelope built entirely by the proxy, for routes that page from a directory: the
 * numbers describe only the tenant's own entities.
 */
export function ownedListing(context: ResponseContext, entities: readonly unknown[], pageSize: number, pageNumber: number, total: number): Record<string, unknown> {
  const pageCount = Math.ceil(total / pageSize);
  const link = (page: number) => pageLink(context.path, context.query, pageSize, page);
  const listing: Record<string, unknown> = {
    entities,
    pageSize,
    pageNumber,
    total,
    firstUri: link(1),
    selfUri: link(pageNumber),
    lastUri: link(Math.max(pageCount, 1)),
    pageCount,
  };
  if (pageNumber < pageCount) listing['nextUri'] = link(pageNumber + 1);
  if (pageNumber > 1) listing['previousUri'] = link(pageNumber - 1);
  return listing;
}

export function pageLink(path: string, query: QueryValues, pageSize: number, pageNumber: number): string {
  let rest = withValues(query, 'pageSize', undefined);
  rest = withValues(rest, 'pageNumber', undefined);
  const tail = serializeQuery(rest);
  return `${path}?pageSize=${pageSize}&pageNumber=${pageNumber}${tail ? `&${tail}` : ''}`;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The listing the tenant gets when its filters leave nothing it may see: built without Genesys. */
export function emptyListing(context: ResponseContext): unknown {
  const requested = Number(context.query.get('pageSize')?.[0] ?? 25);
  const pageSize = Number.isInteger(requested) && requested > 0 ? requested : 25;
  const result = scopeListing(
    { entities: [], pageSize, pageNumber: 1, total: 0, pageCount: 0 },
    context,
    () => false,
    { hasTotals: true, upstreamFiltered: true },
  );
  return result.kind === 'ok' ? result.body : undefined;
}

/**
 * A listing envelope for a listing Genesys gives without totals (queue members), paged by the
 * proxy from every item the tenant may see: every page is full but the last, and `nextUri` shows
 * only when another of the tenant's own items follows.
 */
export function openOwnedListing(context: ResponseContext, items: readonly unknown[], pageSize: number, pageNumber: number): Record<string, unknown> {
  const start = (pageNumber - 1) * pageSize;
  const link = (page: number) => pageLink(context.path, context.query, pageSize, page);
  const listing: Record<string, unknown> = {
    entities: items.slice(start, start + pageSize),
    pageSize,
    pageNumber,
    firstUri: link(1),
    selfUri: link(pageNumber),
  };
  if (start + pageSize < items.length) listing['nextUri'] = link(pageNumber + 1);
  if (pageNumber > 1) listing['previousUri'] = link(pageNumber - 1);
  return listing;
}
