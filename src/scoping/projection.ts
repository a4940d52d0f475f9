import { entityFields, type EntityKind } from './field-table.js';
import type { FieldRule, ReferenceTarget, Shape } from './field-rule.js';
import { divisionOf, isRecord, type ResponseContext } from './scope.js';

/** Answers whether a referenced object is the tenant's. */
export interface ReferenceCheck {
  /** `claimedDivision`: the division id Genesys embeds in the reference (`division.id`), if any. */
  isOwn(target: ReferenceTarget, id: string, claimedDivision?: string): boolean;
}

/**
 * Ownership as the request's scope and directories know it. Queues and users: the directory, and
 * the division Genesys embeds when it does; both must say the tenant's, and at least one must
 * know. Teams, member groups and scripts: only the embedded division. Anything else the proxy
 * cannot place in a division, so it is never the tenant's.
 */
export function referenceCheckOf(context: Pick<ResponseContext, 'scope' | 'facts'>): ReferenceCheck {
  const own = (division: string | undefined) => division !== undefined && context.scope.divisions.has(division);
  return {
    isOwn(target, id, claimed) {
      switch (target) {
        case 'division':
          return own(id);
        case 'queue':
        case 'user': {
          const known = (target === 'queue' ? context.facts.queues : context.facts.users).divisionOf(id);
          if (known === undefined && claimed === undefined) return false;
          return (known === undefined || own(known)) && (claimed === undefined || own(claimed));
        }
        case 'team':
        case 'member-group':
        case 'script':
          return own(claimed);
        default:
          return false;
      }
    },
  };
}

export type Projection =
  | { readonly kind: 'kept'; readonly value: Record<string, unknown>; readonly removed: number }
  | { readonly kind: 'withheld' };

const WITHHELD = Symbol('withheld');
const GONE = Symbol('gone');
type Out = unknown | typeof WITHHELD | typeof GONE;

/** Names of media types and object types: the keys a `map` field may have. */
const MAP_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Projects one entity through its allowlist: declared fields only, every reference checked.
 * `removed` counts the references removed because they were not the tenant's.
 */
export function projectEntity(kind: EntityKind, entity: unknown, check: ReferenceCheck): Projection {
  const fields = entityFields.get(kind);
  if (!fields) throw new Error(`no field table for ${kind}`);
  const projector = new Projector(check);
  const value = projector.object(fields, entity);
  if (value === WITHHELD || !isRecord(value)) return { kind: 'withheld' };
  return { kind: 'kept', value, removed: projector.removed };
}

/** Projects every entity of a list; withheld ones are left out and counted. */
export function projectEntities(kind: EntityKind, entities: readonly unknown[], check: ReferenceCheck): { kept: Record<string, unknown>[]; withheld: number } {
  const kept: Record<string, unknown>[] = [];
  for (const entity of entities) {
    const projected = projectEntity(kind, entity, check);
    if (projected.kind === 'kept') kept.push(projected.value);
  }
  return { kept, withheld: entities.length - kept.length };
}

class Projector {
  removed = 0;
  constructor(readonly check: ReferenceCheck) {}

  object(fields: Shape, input: unknown): Out {
    if (!isRecord(input)) return GONE;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      const rule = fields.get(key);
      if (rule === undefined) continue;
      const value = this.field(rule, input[key]);
      if (value === WITHHELD) return WITHHELD;
      if (value !== GONE) out[key] = value;
    }
    return out;
  }

  field(rule: FieldRule, input: unknown): Out {
    switch (rule.kind) {
      case 'value':
        return typeof input === rule.type && (rule.type !== 'number' || Number.isFinite(input)) ? input : GONE;
      case 'values':
        return Array.isArray(input) ? input.filter((item) => typeof item === rule.type && (rule.type !== 'number' || Number.isFinite(item))) : GONE;
      case 'object':
        return this.#whole(rule.whole, () => this.#nonEmpty(this.object(rule.shape, input)));
      case 'objects':
        return this.#whole(rule.whole, () => this.#list(input, (item) => this.object(rule.shape, item)));
      case 'map': {
        if (!isRecord(input)) return GONE;
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(input)) {
          if (!MAP_KEY.test(key)) continue;
          const value = this.field(rule.of, item);
          if (value === WITHHELD) return WITHHELD;
          if (value !== GONE) out[key] = value;
        }
        return this.#nonEmpty(out);
      }
      case 'ref':
        return this.#reference(rule.target, input, rule.onForeign, () => this.object(rule.shape, input));
      case 'refs': {
        // A list left empty by removals goes too: an empty list would still say that it had entries.
        const list = this.#list(input, (item) => this.#reference(rule.target, item, 'remove', () => this.object(rule.shape, item)));
        return Array.isArray(list) && list.length === 0 ? GONE : list;
      }
      case 'ref-id':
        if (typeof input !== 'string') return GONE;
        return this.#reference(rule.target, input, rule.onForeign, () => input);
      case 'drop':
        return GONE;
    }
  }

  #reference(target: ReferenceTarget, input: unknown, onForeign: 'remove' | 'withhold', keep: () => Out): Out {
    const id = typeof input === 'string' ? input : isRecord(input) && typeof input['id'] === 'string' ? input['id'] : undefined;
    const own = id !== undefined && this.check.isOwn(target, id, isRecord(input) ? divisionOf(input) : undefined);
    if (own) return keep();
    if (onForeign === 'withhold') return WITHHELD;
    this.removed += 1;
    return GONE;
  }

  #list(input: unknown, each: (item: unknown) => Out): Out {
    if (!Array.isArray(input)) return GONE;
    const out: unknown[] = [];
    for (const item of input) {
      const value = each(item);
      if (value === WITHHELD) return WITHHELD;
      if (value !== GONE) out.push(value);
    }
    return out;
  }

  /** With `whole`, a field in which any reference was removed goes entirely. */
  #whole(whole: boolean | undefined, project: () => Out): Out {
    const before = this.removed;
    const value = project();
    if (whole && this.removed > before && value !== WITHHELD) return GONE;
    return value;
  }

  #nonEmpty(value: Out): Out {
    return isRecord(value) && Object.keys(value).length === 0 ? GONE : value;
  }
}
