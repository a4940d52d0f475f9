import { GatewayError } from '../../errors.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { ownedBy } from '../filters/observations.js';
import { project, type Shape } from './projection.js';

/** Genesys's documented limit for the bulk presence call. */
export const MAX_BULK_PRESENCE_IDS = 50;

const presenceDefinition: Shape = { id: 'scalar', systemPresence: 'scalar', selfUri: 'scalar' };

const userPresence: Shape = {
  id: 'scalar',
  name: 'scalar',
  source: 'scalar',
  sourceId: 'scalar',
  primary: 'scalar',
  presenceDefinition,
  futurePresenceDefinition: presenceDefinition,
  message: 'scalar',
  modifiedDate: 'scalar',
  selfUri: 'scalar',
};

const bulkPresence: Shape = {
  id: 'scalar',
  name: 'scalar',
  userId: 'scalar',
  source: 'scalar',
  sourceId: 'scalar',
  presenceDefinition,
  message: 'scalar',
  modifiedDate: 'scalar',
  selfUri: 'scalar',
};

const routingStatus: Shape = { userId: 'scalar', status: 'scalar', startTime: 'scalar' };

const systemPresence: Shape = { id: 'scalar', name: 'scalar', selfUri: 'scalar' };

/** An answer about one user names that user, or it is not the answer the tenant asked for. */
function aboutUser(body: unknown, field: string, context: ResponseContext): boolean {
  const named = isRecord(body) ? body[field] : undefined;
  return named === undefined || named === context.params['userId'];
}

/** `GET /users/{userId}/routingstatus`: the path id was checked; only the documented fields pass. */
export function scopeRoutingStatus(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a routing status that is not an object');
  if (!aboutUser(body, 'userId', context)) return { kind: 'not-found' };
  return { kind: 'ok', body: project(body, routingStatus), kept: 1, removed: 0 };
}

/** `GET /users/{userId}/presences/purecloud`. */
export function scopeUserPresence(body: unknown, _context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a presence that is not an object');
  return { kind: 'ok', body: project(body, userPresence), kept: 1, removed: 0 };
}

/**
 * `GET /users/presences/purecloud/bulk`: every id must be one of the tenant's users. An unknown id
 * is refused exactly like another tenant's, and without ids nothing is asked (Genesys's answer to
 * an empty list is not documented).
 */
export function planBulkPresence({ query, scope, facts }: RequestInput): RequestPlan {
  const ids = [...new Set(query.get('id') ?? [])];
  if (ids.length === 0) throw new GatewayError('query.invalid', { message: 'The query parameter "id" must name at least one user.' });
  if (ids.length > MAX_BULK_PRESENCE_IDS) {
    throw new GatewayError('query.invalid', { message: `The query parameter "id" may name at most ${MAX_BULK_PRESENCE_IDS} users.` });
  }
  const own = ownedBy(facts.users, scope);
  if (!ids.every(own)) throw new GatewayError('not.authorized', { message: 'The query names a user outside the tenant’s divisions.' });
  return forward(new Map([['id', ids]]));
}

/** Keeps the presences of the users asked for that are the tenant's; Genesys answers a bare array. */
export function scopeBulkPresence(body: unknown, context: ResponseContext): ScopedResponse {
  if (!Array.isArray(body)) throw new UnexpectedShapeError('a bulk presence answer that is not an array');
  const asked = new Set(context.query.get('id') ?? []);
  const own = ownedBy(context.facts.users, context.scope);
  const kept = body.filter((entry) => isRecord(entry) && typeof entry['userId'] === 'string' && asked.has(entry['userId']) && own(entry['userId']));
  return { kind: 'ok', body: kept.map((entry) => project(entry, bulkPresence)), kept: kept.length, removed: body.length - kept.length };
}

/** `GET /systempresences`: the fixed system presences, the same for every tenant and division. */
export function scopeSystemPresences(body: unknown, _context: ResponseContext): ScopedResponse {
  if (!Array.isArray(body)) throw new UnexpectedShapeError('system presences that are not an array');
  const kept = body.map((entry) => project(entry, systemPresence)).filter(isRecord);
  return { kind: 'ok', body: kept, kept: kept.length, removed: body.length - kept.length };
}
