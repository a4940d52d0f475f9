import type { EntityKind } from '../field-table.js';
import { projectEntity, referenceCheckOf } from '../projection.js';
import { inScope, isRecord, UnexpectedShapeError, type ResponseContext, type ResponseScoper, type ScopedResponse } from '../scope.js';

/**
 * One division-bearing entity (queue, user, wrap-up code): a foreign one answers exactly like a
 * missing one, and an own one is projected through its field table.
 */
export function scopeEntity(kind: EntityKind): ResponseScoper {
  return (body: unknown, context: ResponseContext): ScopedResponse => {
    if (!isRecord(body)) throw new UnexpectedShapeError('an entity that is not an object');
    if (!inScope(body, context.scope)) return { kind: 'not-found' };
    const projected = projectEntity(kind, body, referenceCheckOf(context));
    if (projected.kind === 'withheld') return { kind: 'not-found' };
    return { kind: 'ok', body: projected.value, kept: 1, removed: 0 };
  };
}

/** The select function of a listing: entities of the tenant's divisions, projected; others undefined. */
export function selectOwn(kind: EntityKind, context: ResponseContext, isOwn: (entity: unknown) => boolean = (entity) => inScope(entity, context.scope)): (entity: unknown) => Record<string, unknown> | undefined {
  const check = referenceCheckOf(context);
  return (entity) => {
    if (!isOwn(entity)) return undefined;
    const projected = projectEntity(kind, entity, check);
    return projected.kind === 'kept' ? projected.value : undefined;
  };
}
