import { inScope, isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';

/** One division-bearing entity (queue, user): a foreign one answers exactly like a missing one. */
export function scopeEntity(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('an entity that is not an object');
  if (!inScope(body, context.scope)) return { kind: 'not-found' };
  return { kind: 'ok', body, kept: 1, removed: 0 };
}
