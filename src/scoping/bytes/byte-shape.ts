import type { FieldRule, Shape } from '../field-rule.js';

/** One declared key of a shape, as bytes, with its rule and its place (for duplicate checks). */
export interface ByteField {
  readonly key: Uint8Array;
  readonly name: string;
  readonly rule: FieldRule;
  readonly index: number;
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
  let found = compiled.get(shape);
  if (found) return found;
  assertNotNested(shape, new Set());
  const byLength: ByteField[][] = [];
  let index = 0;
  for (const [name, rule] of shape) {
    const key = Buffer.from(name, 'utf8');
    (byLength[key.length] ??= []).push({ key, name, rule, index: index++ });
  }
  found = { byLength, seenIn: new Float64Array(index).fill(-1) };
  compiled.set(shape, found);
  return found;
}

/** The declared field named by `bytes[start, end)`, or undefined when the key is not declared. */
export function fieldAt(shape: ByteShape, bytes: Uint8Array, start: number, end: number): ByteField | undefined {
  const candidates = shape.byLength[end - start];
  if (candidates === undefined) return undefined;
  for (const field of candidates) {
    const key = field.key;
    let k = 0;
    while (k < key.length && key[k] === bytes[start + k]) k++;
    if (k === key.length) return field;
  }
  return undefined;
}

/**
 * `seenIn` assumes no object of a shape is visited while another of the same shape is open, which
 * holds when no shape contains itself. The field table is built from literals, so this only fails
 * on a table changed to nest a shape in itself; it fails loudly then.
 */
function assertNotNested(shape: Shape, open: Set<Shape>): void {
  if (open.has(shape)) throw new Error('a field table shape contains itself');
  open.add(shape);
  for (const rule of shape.values()) for (const inner of shapesOf(rule)) assertNotNested(inner, open);
  open.delete(shape);
}

function shapesOf(rule: FieldRule): Shape[] {
  switch (rule.kind) {
    case 'object':
    case 'objects':
    case 'ref':
    case 'refs':
      return [rule.shape];
    case 'map':
      return shapesOf(rule.of);
    default:
      return [];
  }
}
