/**
 * The vocabulary of the field table (`field-table.ts`): what the proxy does with one key of an
 * entity Genesys returns. A shape is a Map from key to rule, so deciding one key is one lookup,
 * whether the entity is an object in memory or a key met in a byte stream. A key without a rule
 * is dropped: whatever Genesys adds tomorrow stays behind until a reviewed change declares it.
 */

/**
 * Objects a field can point at, by how the proxy learns whose they are:
 * - `queue`, `user`: the proxy's directories (and the division Genesys embeds, when it does: both must agree);
 * - `division`: the tenant's own division ids;
 * - `team`, `member-group`, `script`: no directory; the division Genesys embeds in the reference decides,
 *   and a reference without one is not the tenant's;
 * - `flow`, `prompt`, `group`, `location`, `email-address`, `messaging-address`: no directory and no
 *   embedded division, so never shown (a directory for one of them turns its fields on without a table change).
 */
export type ReferenceTarget =
  | 'queue'
  | 'user'
  | 'division'
  | 'team'
  | 'member-group'
  | 'script'
  | 'flow'
  | 'prompt'
  | 'group'
  | 'location'
  | 'email-address'
  | 'messaging-address';

/** What happens to an entity whose field points at something that is not the tenant's. */
export type OnForeign =
  /** The field (or the list entry) goes, as if the object it names did not exist. */
  | 'remove'
  /** The whole entity goes: without the field it would describe something else (its own division, a member's user). */
  | 'withhold';

export type ScalarType = 'string' | 'number' | 'boolean';

export type FieldRule =
  /** A value that names nothing: kept when it has the declared type, dropped otherwise. */
  | { readonly kind: 'value'; readonly type: ScalarType }
  /** A list of such values; entries of another type are dropped. */
  | { readonly kind: 'values'; readonly type: ScalarType }
  /**
   * A nested object, itself projected by `shape`. `whole`: when any reference inside it is not the
   * tenant's, the whole field goes (a routing rule with one of its targets cut out would describe
   * a rule Genesys does not apply).
   */
  | { readonly kind: 'object'; readonly shape: Shape; readonly whole?: boolean }
  /** A list of nested objects, each projected by `shape`; `whole` as for `object`. */
  | { readonly kind: 'objects'; readonly shape: Shape; readonly whole?: boolean }
  /** An object whose keys are names of the same kind (media types, object types); each value by `of`. */
  | { readonly kind: 'map'; readonly of: FieldRule }
  /** An object naming another object by `id`; when it is the tenant's, projected by `shape`. */
  | { readonly kind: 'ref'; readonly target: ReferenceTarget; readonly shape: Shape; readonly onForeign: OnForeign }
  /** A list of such objects; entries that are not the tenant's are removed. */
  | { readonly kind: 'refs'; readonly target: ReferenceTarget; readonly shape: Shape }
  /** A string that is the id of another object. */
  | { readonly kind: 'ref-id'; readonly target: ReferenceTarget; readonly onForeign: OnForeign }
  /** Declared so that the README can say why it goes: always dropped. */
  | { readonly kind: 'drop'; readonly why: string };

export type Shape = ReadonlyMap<string, FieldRule>;

/** Builds a shape from an object literal, keeping the declaration order for the README. */
export const shape = (fields: Readonly<Record<string, FieldRule>>): Shape => new Map(Object.entries(fields));

export const text: FieldRule = { kind: 'value', type: 'string' };
export const num: FieldRule = { kind: 'value', type: 'number' };
export const bool: FieldRule = { kind: 'value', type: 'boolean' };
export const texts: FieldRule = { kind: 'values', type: 'string' };
export const object = (fields: Shape, whole = false): FieldRule => ({ kind: 'object', shape: fields, ...(whole ? { whole } : {}) });
export const objects = (fields: Shape, whole = false): FieldRule => ({ kind: 'objects', shape: fields, ...(whole ? { whole } : {}) });
export const map = (of: FieldRule): FieldRule => ({ kind: 'map', of });
export const ref = (target: ReferenceTarget, fields: Shape, onForeign: OnForeign = 'remove'): FieldRule => ({ kind: 'ref', target, shape: fields, onForeign });
export const refs = (target: ReferenceTarget, fields: Shape): FieldRule => ({ kind: 'refs', target, shape: fields });
export const refId = (target: ReferenceTarget, onForeign: OnForeign = 'remove'): FieldRule => ({ kind: 'ref-id', target, onForeign });
export const drop = (why: string): FieldRule => ({ kind: 'drop', why });
