import type { FieldRule, OnForeign, ReferenceTarget, ScalarType, Shape } from '../field-rule.js';

/**
 * A field rule compiled for the byte path: the same rule with its nested shapes already compiled,
 * so following a nested object costs no lookup.
 */
export type ByteRule =
  | { readonly kind: 'value' | 'values'; readonly type: ScalarType }
  | { readonly kind: 'object' | 'objects'; readonly shape: ByteShape; readonly whole: boolean }
  | { readonly kind: 'map'; readonly of: ByteRule }
  | { readonly kind: 'ref'; readonly target: ReferenceTarget; readonly shape: ByteShape; readonly onForeign: OnForeign }
  | { readonly kind: 'refs'; readonly target: ReferenceTarget; readonly shape: ByteShape }
  | { readonly kind: 'ref-id'; readonly target: ReferenceTarget; readonly onForeign: OnForeign }
  | { readonly kind: 'drop' };

/** One declared key of a shape, as bytes, with its rule and its place (for duplicate checks). */
export interface ByteField {
  readonly key: Uint8Array;
  readonly name: string;
  readonly rule: ByteRule;
  readonly index: number;
  /** The same field as a remembered place (one object per field, made once). */
  readonly place: KeyAtPlace;
}

/**
 * A field table shape compiled for keys met as bytes: candidates by key length, compared byte by
 * byte, so deciding a key costs a few comparisons and no string. `seenIn` holds, per declared key,
 * the visit that last met it: a key met twice in one object is a duplicate, which the byte path
 * does not vouch for (JSON.parse keeps the last, and the first is already written).
 */
export interface ByteShape {
  readonly byLength: readonly (readonly ByteField[] | undefined)[];
  readonly seenIn: Float64Array;
  /**
   * The keys met, in order, in the last objects of this shape. Genesys writes every entity of a
   * kind with its keys in one order, so the key at a place is most often the one met there before:
   * comparing against it settles the key in one pass, without scanning it and looking it up.
   */
  readonly order: (KeyAtPlace | undefined)[];
}

/** A key met at one place of an object: its bytes, and its field when it is declared. */
export interface KeyAtPlace {
  readonly key: Uint8Array;
  readonly field: ByteField | undefined;
}

/** Places remembered per shape, and the longest undeclared key remembered. */
const MAX_PLACES = 128;
const MAX_REMEMBERED_KEY = 64;

/**
 * The field named by the key whose first byte is at `start`, when it is the key met at `place`
 * last time: answers the offset of its closing quote, or -1 (then scan and look it up).
 */
export function keyAtPlace(shape: ByteShape, place: number, bytes: Uint8Array, start: number): number {
  const known = shape.order[place];
  if (known === undefined) return -1;
  const key = known.key;
  const length = key.length;
  for (let k = 0; k < length; k++) if (key[k] !== bytes[start + k]) return -1;
  return bytes[start + length] === 0x22 ? start + length : -1;
}

/** The field of the key `keyAtPlace` matched. */
export function fieldAtPlace(shape: ByteShape, place: number): ByteField | undefined {
  return shape.order[place]!.field;
}

/** Remembers the key met at `place` (a scanned key, `field` its lookup). */
export function rememberPlace(shape: ByteShape, place: number, bytes: Uint8Array, start: number, end: number, field: ByteField | undefined): void {
  if (place >= MAX_PLACES) return;
  if (field !== undefined) shape.order[place] = field.place;
  else if (end - start <= MAX_REMEMBERED_KEY) shape.order[place] = { key: Uint8Array.prototype.slice.call(bytes, start, end), field: undefined };
}

const compiled = new Map<Shape, ByteShape>();

let lastVisit = -1;

/**
 * A number for one visit of one object, never reused: 2^53 visits outlast any process. (Numbers
 * that wrapped would have to be forgotten while objects are open, and a key met before the wrap
 * and again after it would pass for the first of its name.)
 */
export function nextVisit(): number {
  return ++lastVisit;
}

export function byteShapeOf(shape: Shape): ByteShape {
  return compileShape(shape, new Set());
}

function compileShape(shape: Shape, open: Set<Shape>): ByteShape {
  const found = compiled.get(shape);
  if (found) return found;
  // `seenIn` assumes no object of a shape is visited while another of the same shape is open,
  // which holds when no shape contains itself; a table changed to nest one fails loudly here.
  if (open.has(shape)) throw new Error('a field table shape contains itself');
  open.add(shape);
  const byLength: ByteField[][] = [];
  let index = 0;
  for (const [name, rule] of shape) {
    const key = Buffer.from(name, 'utf8');
    const made: Omit<ByteField, 'place'> & { place?: KeyAtPlace } = { key, name, rule: compileRule(rule, open), index: index++ };
    const field = made as ByteField;
    made.place = { key, field };
    (byLength[key.length] ??= []).push(field);
  }
  open.delete(shape);
  const result: ByteShape = { byLength, seenIn: new Float64Array(index).fill(-1), order: [] };
  compiled.set(shape, result);
  return result;
}

function compileRule(rule: FieldRule, open: Set<Shape>): ByteRule {
  switch (rule.kind) {
    case 'value':
    case 'values':
      return uniform({ kind: rule.kind, type: rule.type });
    case 'object':
    case 'objects':
      return uniform({ kind: rule.kind, shape: compileShape(rule.shape, open), whole: rule.whole === true });
    case 'map':
      return uniform({ kind: 'map', of: compileRule(rule.of, open) });
    case 'ref':
      return uniform({ kind: 'ref', target: rule.target, shape: compileShape(rule.shape, open), onForeign: rule.onForeign });
    case 'refs':
      return uniform({ kind: 'refs', target: rule.target, shape: compileShape(rule.shape, open) });
    case 'ref-id':
      return uniform({ kind: 'ref-id', target: rule.target, onForeign: rule.onForeign });
    case 'drop':
      return uniform({ kind: 'drop' });
  }
}

/**
 * Every compiled rule has every property, in one order: the projector reads rules of all kinds at
 * the same places, and objects of one layout keep those reads monomorphic.
 */
function uniform(rule: Partial<Record<'type' | 'shape' | 'whole' | 'of' | 'target' | 'onForeign', unknown>> & { kind: ByteRule['kind'] }): ByteRule {
  return {
    kind: rule.kind,
    type: rule.type ?? 'string',
    shape: rule.shape,
    whole: rule.whole ?? false,
    of: rule.of,
    target: rule.target ?? 'flow',
    onForeign: rule.onForeign ?? 'remove',
  } as ByteRule;
}

/** The declared field named by `bytes[start, end)`, or undefined when the key is not declared. */
export function fieldAt(shape: ByteShape, bytes: Uint8Array, start: number, end: number): ByteField | undefined {
  const candidates = shape.byLength[end - start];
  if (candidates === undefined) return undefined;
  for (let c = 0; c < candidates.length; c++) {
    const field = candidates[c]!;
    const key = field.key;
    let k = 0;
    while (k < key.length && key[k] === bytes[start + k]) k++;
    if (k === key.length) return field;
  }
  return undefined;
}
