import type { QueryParams } from './query.js';

export interface PageRequest {
  readonly pageSize: number;
  readonly pageNumber: number;
}

export interface EntityListing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  firstUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
  lastUri: string;
  pageCount: number;
}

/** QueueMemberEntityListing: no total, lastUri or pageCount. */
export interface OpenEndedListing<T> {
  entities: T[];
  pageNumber: number;
  pageSize: number;
  firstUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
}

/** An oversized pageSize is clamped to the endpoint's maximum, not rejected. */
export function pageRequest(query: QueryParams, maxPageSize: number, defaultPageSize = 25): PageRequest {
  return {
    pageSize: Math.min(query.int('pageSize', defaultPageSize), maxPageSize),
    pageNumber: query.int('pageNumber', 1),
  };
}

/** Builds page URIs that keep the caller's other parameters exactly as they were sent. */
function uriBuilder(path: string, rawQuery: string, pageSize: number): (pageNumber: number) => string {
  const rest = rawQuery
    .split('&')
    .filter((part) => {
      if (part === '') return false;
      const key = new URLSearchParams(part).keys().next().value;
      return key !== 'pageSize' && key !== 'pageNumber';
    })
    .map((part) => `&${part}`)
    .join('');
  return (pageNumber) => `${path}?pageSize=${pageSize}&pageNumber=${pageNumber}${rest}`;
}

function pageSlice<T>(items: readonly T[], page: PageRequest): T[] {
  const start = (page.pageNumber - 1) * page.pageSize;
  return items.slice(start, start + page.pageSize);
}

export function entityListing<T>(items: readonly T[], page: PageRequest, path: string, query: QueryParams): EntityListing<T> {
  const uri = uriBuilder(path, query.raw, page.pageSize);
  const pageCount = Math.ceil(items.length / page.pageSize);
  const listing: EntityListing<T> = {
    entities: pageSlice(items, page),
    pageSize: page.pageSize,
    pageNumber: page.pageNumber,
    total: items.length,
    firstUri: uri(1),
    selfUri: uri(page.pageNumber),
    lastUri: uri(Math.max(pageCount, 1)),
    pageCount,
  };
  if (page.pageNumber < pageCount) listing.nextUri = uri(page.pageNumber + 1);
  if (page.pageNumber > 1) listing.previousUri = uri(page.pageNumber - 1);
  return listing;
}

export function openEndedListing<T>(items: readonly T[], page: PageRequest, path: string, query: QueryParams): OpenEndedListing<T> {
  const uri = uriBuilder(path, query.raw, page.pageSize);
  const listing: OpenEndedListing<T> = {
    entities: pageSlice(items, page),
    pageNumber: page.pageNumber,
    pageSize: page.pageSize,
    firstUri: uri(1),
    selfUri: uri(page.pageNumber),
  };
  if (page.pageNumber * page.pageSize < items.length) listing.nextUri = uri(page.pageNumber + 1);
  if (page.pageNumber > 1) listing.previousUri = uri(page.pageNumber - 1);
  return listing;
}
