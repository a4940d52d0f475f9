import { restrictArrayParam } from '../request-scopers.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { projectEntity, referenceCheckOf } from '../projection.js';
import { selectOwn } from './entity.js';
import { scopeProjectedListing } from './listing.js';

/** `GET /authorization/divisions` has no division filter, but an `id` one: the tenant's divisions go up as ids. */
export function restrictDivisionListing({ query, scope }: RequestInput): RequestPlan {
  const restricted = restrictArrayParam(query, 'id', scope.divisionIds);
  return restricted ? forward(restricted) : { kind: 'empty' };
}

const isOwnDivision = (entity: unknown, context: ResponseContext): boolean =>
  isRecord(entity) && typeof entity['id'] === 'string' && context.scope.divisions.has(entity['id']);

export function scopeDivisionListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeProjectedListing(body, context, selectOwn('division', context, (division) => isOwnDivision(division, context)), {
    hasTotals: true,
    upstreamFiltered: true,
    ceiling: context.scope.divisionIds.length,
  });
}

/** A division is its own division: the entity's `id` decides. */
export function scopeDivision(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a division that is not an object');
  if (!isOwnDivision(body, context)) return { kind: 'not-found' };
  const projected = projectEntity('division', body, referenceCheckOf(context));
  if (projected.kind === 'withheld') return { kind: 'not-found' };
  return { kind: 'ok', body: projected.value, kept: 1, removed: 0 };
}
