import { positiveInteger, singleValue, withValues, type QueryValues } from '../query.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { divisionOf, inScope, isRecord, type ResponseContext, type ScopedResponse } from '../scope.js';
import { scopeEntity } from './entity.js';
import { scopeListing } from './listing.js';

/** `GET /routing/queues` and `/divisionviews`: only queues whose division is the tenant's. */
export function scopeQueueListing(body: unknown, context: ResponseContext): ScopedResponse {
  // The queue directory knows how many queues the tenant has (a queue created in Genesys in the
  // last minute aside, which at worst makes the proxy rebuild a total it could have trusted).
  const ceiling = context.facts.queues.idsIn(context.scope.divisions).length;
  return scopeListing(body, context, (queue) => inScope(queue, context.scope), { hasTotals: true, upstreamFiltered: true, ceiling });
}

/** Division views answer "simplified queue objects"; the proxy keeps them that simple. */
export function scopeQueueViewListing(body: unknown, context: ResponseContext): ScopedResponse {
  const scoped = scopeQueueListing(body, context);
  if (scoped.kind !== 'ok') return scoped;
  const listing = scoped.body as Record<string, unknown> & { entities: unknown[] };
  return { ...scoped, body: { ...listing, entities: listing.entities.map(queueView) } };
}

function queueView(queue: unknown): unknown {
  if (!isRecord(queue)) return queue;
  const view: Record<string, unknown> = { id: queue['id'], name: queue['name'], division: queue['division'] };
  if (queue['selfUri'] !== undefined) view['selfUri'] = queue['selfUri'];
  return view;
}

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
export const scopeQueue = scopeEntity;

/**
 * `GET /routing/queues/{id}/members` (and the deprecated `/users`): the queue is the tenant's
 * (checked before the call), but a queue may hold agents of other divisions; those are dropped.
 * The embedded user's division decides; without one, the user directory; a member whose
 * division neither knows is dropped.
 */
export function scopeQueueMemberListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeListing(
    body,
    context,
    (member) => {
      if (!isRecord(member)) return false;
      const user = member['user'];
      let division = divisionOf(user);
      if (division === undefined) {
        const id = isRecord(user) && typeof user['id'] === 'string' ? user['id'] : member['id'];
        division = typeof id === 'string' ? context.facts.users.divisionOf(id) : undefined;
      }
      return division !== undefined && context.scope.divisions.has(division);
    },
    { hasTotals: false, upstreamFiltered: false },
  );
}
