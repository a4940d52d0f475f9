import type { DirectoryEntry } from '../division-index.js';
import { positiveInteger, singleValue, withValues, type QueryValues } from '../query.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { scopeEntity, selectOwn } from './entity.js';
import { ownedListing } from './listing.js';

/** Genesys's own cap is not documented; 100 keeps the `id` list of one upstream call short. */
export const USERS_MAX_PAGE_SIZE = 100;

interface UsersPage {
  /** Every user of the tenant that the query selects, in Genesys's order. */
  readonly selected: readonly DirectoryEntry[];
  readonly pageSize: number;
  readonly pageNumber: number;
  readonly slice: readonly DirectoryEntry[];
}

/**
 * `GET /api/v2/users` has no division filter, and Genesys's totals would count the whole org. So
 * the proxy pages from the user directory: it picks the page's user ids itself and asks Genesys
 * for exactly those users. Request and response scoping both call this, so they agree.
 */
export function usersPage(query: QueryValues, { scope, facts }: Pick<RequestInput, 'scope' | 'facts'>): UsersPage {
  const state = singleValue(query, 'state') ?? 'active';
  const ids = query.get('id');
  const wanted = ids ? new Set(ids) : undefined;
  let selected = facts.users
    .entriesIn(scope.divisions)
    .filter((user) => (state === 'any' || user.state === state) && (!wanted || wanted.has(user.id)));
  if (singleValue(query, 'sortOrder') === 'descending') selected = [...selected].reverse();
  const pageSize = Math.min(positiveInteger(query, 'pageSize', 25), USERS_MAX_PAGE_SIZE);
  const pageNumber = positiveInteger(query, 'pageNumber', 1);
  const start = (pageNumber - 1) * pageSize;
  return { selected, pageSize, pageNumber, slice: selected.slice(start, start + pageSize) };
}

export function planUsersPage(input: RequestInput): RequestPlan {
  const page = usersPage(input.query, input);
  if (page.slice.length === 0) return { kind: 'empty' };
  let upstream = withValues(input.query, 'sortOrder', undefined);
  upstream = withValues(upstream, 'id', page.slice.map((user) => user.id));
  upstream = withValues(upstream, 'pageSize', [String(page.slice.length)]);
  upstream = withValues(upstream, 'pageNumber', ['1']);
  return forward(upstream);
}

/** The page, in the directory's order, of the users Genesys returned that are the tenant's. */
export function scopeUsersPage(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body) || !Array.isArray(body['entities'])) throw new UnexpectedShapeError('a listing without an entities array');
  const page = usersPage(context.query, context);
  const byId = new Map<string, unknown>();
  const select = selectOwn('user', context);
  for (const user of body['entities'] as unknown[]) {
    if (!isRecord(user) || typeof user['id'] !== 'string') continue;
    const projected = select(user);
    if (projected !== undefined) byId.set(user['id'], projected);
  }
  const kept = page.slice.flatMap((entry) => (byId.has(entry.id) ? [byId.get(entry.id)] : []));
  const removed = (body['entities'] as unknown[]).length - kept.length;
  // The total is the directory's count on every page, so that pages agree with one another even
  // when Genesys no longer has a user the directory still lists.
  const listing = ownedListing(context, kept, page.pageSize, page.pageNumber, page.selected.length);
  return { kind: 'ok', body: listing, kept: kept.length, removed: Math.max(removed, 0) };
}

/** What an empty page looks like: the totals still count the tenant's users. */
export function emptyUsersPage(context: ResponseContext): unknown {
  const page = usersPage(context.query, context);
  return ownedListing(context, [], page.pageSize, page.pageNumber, page.selected.length);
}

/** `GET /api/v2/users/{id}`. */
export const scopeUser = scopeEntity('user');
