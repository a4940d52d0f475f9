import type { OnForeign, ReferenceTarget, ScalarType, Shape } from '../field-rule.js';
import type { ReferenceCheck } from '../projection.js';
import { byteShapeOf, fieldAt, fieldAtPlace, keyAtPlace, nextVisit, rememberPlace, type ByteField, type ByteRule, type ByteShape } from './byte-shape.js';
import type { ByteSink } from './byte-sink.js';
import { isKey, lastNumber, lastString, MAX_DEPTH, NOT_CERTAIN, scanKey, scanNumber, scanString, skipValue, skipWhitespace, stringValue } from './json-bytes.js';

/** What became of one value: written to the sink, left out, or the whole entity must go. */
const KEPT = 0;
const GONE = 1;
const WITHHELD = 2;
type Outcome = typeof KEPT | typeof GONE | typeof WITHHELD;

const CLOSE_BRACE = Buffer.from('}');
const OPEN_BRACE = Buffer.from('{');
const CLOSE_BRACKET = Buffer.from(']');
const COMMA = Buffer.from(',');

const QUOTE = 0x22;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * The field table applied to bytes: the same decisions as `projection.ts` (the reference, which
 * the differential tests hold this to), written as ranges of the upstream bytes. A kept field is
 * copied as Genesys sent it, from the first byte of its key to the last of its value, and runs of
 * kept fields merge into one range; only the punctuation around fields that go is written anew.
 * Anything the scan cannot vouch for throws `NOT_CERTAIN`, and the caller answers from the
 * reference instead. The loops are written out (no callbacks, no per-field objects): this runs
 * for every field of every entity of a listing.
 */
export class ByteProjector {
  /** References removed because they were not the tenant's (as `projection.ts` counts them). */
  removed = 0;
  /** After `entity`: the division the entity names itself (`division.id`), when it is a string. */
  entityDivision: string | undefined;
  /** Where the last value read ends. */
  end = 0;
  /** Whether the last `object` kept no field (it wrote `{}`). */
  #lastObjectEmpty = false;
  /** Set by `referenceFacts`. */
  #factId: string | undefined;
  #factDivision: string | undefined;
  /** The id the last `reference` judged. */
  #referenceId: string | undefined;

  constructor(
    readonly bytes: Buffer,
    readonly sink: ByteSink,
    readonly check: ReferenceCheck,
  ) {}

  /**
   * One entity at `at`: writes it projected and answers true, or writes nothing and answers false
   * (withheld, or not an object). `this.end` is where it ends in the source.
   */
  entity(shape: Shape | ByteShape, at: number): boolean {
    const compiled = shape instanceof Map ? byteShapeOf(shape) : (shape as ByteShape);
    const sink = this.sink;
    const count = sink.count;
    const lastEnd = sink.lastEnd;
    const length = sink.length;
    this.entityDivision = undefined;
    if (this.bytes[at] !== OPEN_OBJECT) {
      this.end = skipValue(this.bytes, at, 1);
      return false;
    }
    if (this.object(compiled, at, 1, true) === WITHHELD) {
      sink.rollback(count, lastEnd, length);
      return false;
    }
    return true;
  }

  /** The object at `at`, projected by `shape`: KEPT (possibly `{}`: see `#lastObjectEmpty`) or WITHHELD. */
  private object(shape: ByteShape, at: number, depth: number, isEntity: boolean): Outcome {
    if (depth > MAX_DEPTH) throw NOT_CERTAIN;
    const bytes = this.bytes;
    const sink = this.sink;
    const visit = nextVisit();
    let sawDivision = false;
    let written = 0;
    // The source offset the sink is level with while everything since the brace is copied unchanged.
    let syncedTo = at + 1;
    let withheld = false;
    let place = 0;
    sink.copy(at, at + 1);
    let i = skipWhitespace(bytes, at + 1);
    if (bytes[i] === CLOSE_OBJECT) i++;
    else {
      for (;;) {
        if (bytes[i] !== QUOTE) throw NOT_CERTAIN;
        const keyStart = i + 1;
        let keyEnd = keyAtPlace(shape, place, bytes, keyStart);
        let field: ByteField | undefined;
        if (keyEnd !== -1) field = fieldAtPlace(shape, place);
        else {
          keyEnd = scanKey(bytes, keyStart);
          field = fieldAt(shape, bytes, keyStart, keyEnd);
          rememberPlace(shape, place, bytes, keyStart, keyEnd, field);
        }
        place++;
        i = skipWhitespace(bytes, keyEnd + 1);
        if (bytes[i] !== 0x3a) throw NOT_CERTAIN;
        const valueStart = skipWhitespace(bytes, i + 1);
        let valueEnd: number;
        // The entity's own division decides whether it is the tenant's (as `selectOwn` reads it),
        // declared in its shape or not; read before the division rule, if any, judges it.
        if (isEntity && isKey(bytes, keyStart, keyEnd, DIVISION)) {
          if (sawDivision) throw NOT_CERTAIN;
          sawDivision = true;
          // A reference rule reads the id itself below; any other way it is read here.
          if (field === undefined || field.rule.kind !== 'ref' || withheld) this.entityDivision = this.#entityDivision(valueStart, depth);
        }
        if (field !== undefined) {
          // Checked even once the entity is withheld: with a duplicate, JSON.parse could judge it otherwise.
          if (shape.seenIn[field.index] === visit) throw NOT_CERTAIN;
          shape.seenIn[field.index] = visit;
        }
        if (field === undefined || withheld) {
          syncedTo = -1;
          valueEnd = skipValue(bytes, valueStart, depth);
        } else {
          const count = sink.count;
          const lastEnd = sink.lastEnd;
          const length = sink.length;
          if (syncedTo !== -1) sink.copy(syncedTo, valueStart);
          else {
            if (written > 0) sink.literal(COMMA);
            sink.copy(keyStart - 1, valueStart);
          }
          const outcome = this.field(field.rule, valueStart, depth);
          valueEnd = this.end;
          // The reference rule has just read the division's id (nothing inside a division object is a reference).
          if (isEntity && field.rule.kind === 'ref' && field.name === 'division') {
            this.entityDivision = bytes[valueStart] === OPEN_OBJECT ? this.#referenceId : undefined;
          }
          if (outcome === KEPT) {
            written++;
            syncedTo = sink.endsAt(valueEnd) ? valueEnd : -1;
          } else {
            sink.rollback(count, lastEnd, length);
            syncedTo = -1;
            if (outcome === WITHHELD) withheld = true;
          }
        }
        i = skipWhitespace(bytes, valueEnd);
        const c = bytes[i];
        if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
        else if (c === CLOSE_OBJECT) {
          i++;
          break;
        } else throw NOT_CERTAIN;
      }
    }
    this.end = i;
    if (withheld) return WITHHELD;
    if (syncedTo !== -1) sink.copy(syncedTo, i);
    else sink.literal(CLOSE_BRACE);
    this.#lastObjectEmpty = written === 0;
    return KEPT;
  }

  /** The id of an entity's own `division` object, read before the division rule judges it. */
  #entityDivision(at: number, depth: number): string | undefined {
    if (this.bytes[at] !== OPEN_OBJECT) return undefined;
    this.referenceFacts(at, depth);
    return this.#factId;
  }

  /** One value by its rule. Sets `this.end`. */
  private field(rule: ByteRule, at: number, depth: number): Outcome {
    const bytes = this.bytes;
    switch (rule.kind) {
      case 'value':
        return this.scalar(rule.type, at, depth);
      case 'values':
      case 'objects':
      case 'refs':
        return this.list(rule, at, depth);
      case 'object': {
        if (bytes[at] !== OPEN_OBJECT) return this.skip(at, depth);
        const before = this.removed;
        const sink = this.sink;
        const count = sink.count;
        const lastEnd = sink.lastEnd;
        const length = sink.length;
        const outcome = this.object(rule.shape, at, depth + 1, false);
        if (outcome === WITHHELD) return WITHHELD;
        // An object that kept nothing goes; with `whole`, so does one that lost a reference.
        if (this.#lastObjectEmpty || (rule.whole && this.removed > before)) {
          sink.rollback(count, lastEnd, length);
          return GONE;
        }
        return KEPT;
      }
      case 'map':
        return this.map(rule.of, at, depth);
      case 'ref':
        return this.reference(rule.target, rule.onForeign, rule.shape, at, depth);
      case 'ref-id':
        if (bytes[at] !== QUOTE) return this.skip(at, depth);
        return this.reference(rule.target, rule.onForeign, undefined, at, depth);
      case 'drop':
        return this.skip(at, depth);
    }
  }

  /** Skips a value that goes. */
  private skip(at: number, depth: number): Outcome {
    this.end = skipValue(this.bytes, at, depth);
    return GONE;
  }

  /** A scalar of the declared type, copied as is; a number must also be finite as JavaScript reads it. */
  private scalar(type: ScalarType, at: number, depth: number): Outcome {
    const bytes = this.bytes;
    const c = bytes[at]!;
    let end: number;
    if (c === QUOTE) {
      if (type !== 'string') return this.skip(at, depth);
      end = scanString(bytes, at);
    } else if (c === 0x74 || c === 0x66) {
      end = skipValue(bytes, at, depth);
      if (type !== 'boolean') {
        this.end = end;
        return GONE;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      end = scanNumber(bytes, at);
      this.end = end;
      if (type !== 'number') return GONE;
      if (!lastNumber.plain && !Number.isFinite(Number(bytes.toString('latin1', at, end)))) return GONE;
    } else {
      return this.skip(at, depth);
    }
    this.end = end;
    this.sink.copy(at, end);
    return KEPT;
  }

  /** A list (`values`, `objects` or `refs`): entries that go are left out; anything but an array goes. */
  private list(rule: ByteRule, at: number, depth: number): Outcome {
    const bytes = this.bytes;
    const sink = this.sink;
    if (bytes[at] !== OPEN_ARRAY) return this.skip(at, depth);
    if (depth + 1 > MAX_DEPTH) throw NOT_CERTAIN;
    const before = this.removed;
    const count0 = sink.count;
    const lastEnd0 = sink.lastEnd;
    const length0 = sink.length;
    let written = 0;
    let syncedTo = at + 1;
    let withheld = false;
    sink.copy(at, at + 1);
    let i = skipWhitespace(bytes, at + 1);
    if (bytes[i] === CLOSE_ARRAY) i++;
    else {
      for (;;) {
        let itemEnd: number;
        if (withheld) itemEnd = skipValue(bytes, i, depth + 1);
        else {
          const count = sink.count;
          const lastEnd = sink.lastEnd;
          const length = sink.length;
          if (syncedTo !== -1) sink.copy(syncedTo, i);
          else if (written > 0) sink.literal(COMMA);
          const outcome = this.entry(rule, i, depth + 1);
          itemEnd = this.end;
          if (outcome === KEPT) {
            written++;
            syncedTo = sink.endsAt(itemEnd) ? itemEnd : -1;
          } else {
            sink.rollback(count, lastEnd, length);
            syncedTo = -1;
            if (outcome === WITHHELD) withheld = true;
          }
        }
        i = skipWhitespace(bytes, itemEnd);
        const c = bytes[i];
        if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
        else if (c === CLOSE_ARRAY) {
          i++;
          break;
        } else throw NOT_CERTAIN;
      }
    }
    this.end = i;
    if (withheld) return WITHHELD;
    // A list of references left empty by removals goes: an empty list would still say it had entries.
    // With `whole`, a list that lost a reference goes entirely.
    if ((rule.kind === 'refs' && written === 0) || (rule.kind === 'objects' && rule.whole && this.removed > before)) {
      sink.rollback(count0, lastEnd0, length0);
      return GONE;
    }
    if (syncedTo !== -1) sink.copy(syncedTo, i);
    else sink.literal(CLOSE_BRACKET);
    return KEPT;
  }

  /** One entry of a list, by the list's rule. */
  private entry(rule: ByteRule, at: number, depth: number): Outcome {
    switch (rule.kind) {
      case 'values':
        return this.scalar(rule.type, at, depth);
      case 'objects':
        if (this.bytes[at] !== OPEN_OBJECT) return this.skip(at, depth);
        return this.object(rule.shape, at, depth + 1, false);
      case 'refs':
        return this.reference(rule.target, 'remove', rule.shape, at, depth);
      default:
        throw new Error(`${rule.kind} is not a list rule`);
    }
  }

  /** An object keyed by names (media types, object types); each value by `of`. */
  private map(of: ByteRule, at: number, depth: number): Outcome {
    const bytes = this.bytes;
    const sink = this.sink;
    if (bytes[at] !== OPEN_OBJECT) return this.skip(at, depth);
    if (depth + 1 > MAX_DEPTH) throw NOT_CERTAIN;
    const count0 = sink.count;
    const lastEnd0 = sink.lastEnd;
    const length0 = sink.length;
    const names = new Set<string>();
    let written = 0;
    let withheld = false;
    sink.literal(OPEN_BRACE);
    let i = skipWhitespace(bytes, at + 1);
    if (bytes[i] === CLOSE_OBJECT) i++;
    else {
      for (;;) {
        if (bytes[i] !== QUOTE) throw NOT_CERTAIN;
        const keyStart = i + 1;
        const keyEnd = scanKey(bytes, keyStart);
        i = skipWhitespace(bytes, keyEnd + 1);
        if (bytes[i] !== 0x3a) throw NOT_CERTAIN;
        const valueStart = skipWhitespace(bytes, i + 1);
        let valueEnd: number;
        if (!isMapKey(bytes, keyStart, keyEnd)) valueEnd = skipValue(bytes, valueStart, depth + 1);
        else {
          const name = bytes.toString('latin1', keyStart, keyEnd);
          if (names.has(name)) throw NOT_CERTAIN;
          names.add(name);
          if (withheld) valueEnd = skipValue(bytes, valueStart, depth + 1);
          else {
            const count = sink.count;
            const lastEnd = sink.lastEnd;
            const length = sink.length;
            if (written > 0) sink.literal(COMMA);
            sink.copy(keyStart - 1, valueStart);
            const outcome = this.field(of, valueStart, depth + 1);
            valueEnd = this.end;
            if (outcome === KEPT) written++;
            else {
              sink.rollback(count, lastEnd, length);
              if (outcome === WITHHELD) withheld = true;
            }
          }
        }
        i = skipWhitespace(bytes, valueEnd);
        const c = bytes[i];
        if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
        else if (c === CLOSE_OBJECT) {
          i++;
          break;
        } else throw NOT_CERTAIN;
      }
    }
    this.end = i;
    if (withheld) return WITHHELD;
    if (written === 0) {
      sink.rollback(count0, lastEnd0, length0);
      return GONE;
    }
    sink.literal(CLOSE_BRACE);
    return KEPT;
  }

  /**
   * A reference: an object with an `id` (projected by `shape` when the tenant's), or, for `ref-id`
   * (no shape), an id string copied when the tenant's. Not the tenant's: removed (and counted), or
   * with `withhold` the whole entity goes.
   */
  private reference(target: ReferenceTarget, onForeign: OnForeign, shape: ByteShape | undefined, at: number, depth: number): Outcome {
    const bytes = this.bytes;
    const first = bytes[at];
    let id: string | undefined;
    let division: string | undefined;
    if (first === QUOTE) {
      const end = scanString(bytes, at);
      id = stringValue(bytes, at, end, lastString.escaped, lastString.ascii);
      this.end = end;
    } else if (first === OPEN_OBJECT) {
      this.referenceFacts(at, depth);
      id = this.#factId;
      division = this.#factDivision;
    } else {
      this.end = skipValue(bytes, at, depth);
    }
    this.#referenceId = id;
    if (id !== undefined && this.check.isOwn(target, id, division)) {
      if (shape === undefined) {
        this.sink.copy(at, this.end);
        return KEPT;
      }
      // An own id written as a bare string where an object belongs is not the object: it goes.
      if (first !== OPEN_OBJECT) return GONE;
      return this.object(shape, at, depth + 1, false);
    }
    if (onForeign === 'withhold') return WITHHELD;
    this.removed += 1;
    return GONE;
  }

  /**
   * Reads `id` and `division.id` of the object at `at` into `#factId` and `#factDivision` (each
   * undefined unless a string). Either key twice is not certain. Sets `this.end`.
   */
  private referenceFacts(at: number, depth: number): void {
    if (depth + 1 > MAX_DEPTH) throw NOT_CERTAIN;
    const bytes = this.bytes;
    let id: string | undefined;
    let division: string | undefined;
    let seenId = false;
    let seenDivision = false;
    let i = skipWhitespace(bytes, at + 1);
    if (bytes[i] === CLOSE_OBJECT) i++;
    else {
      for (;;) {
        if (bytes[i] !== QUOTE) throw NOT_CERTAIN;
        const keyStart = i + 1;
        const keyEnd = scanKey(bytes, keyStart);
        i = skipWhitespace(bytes, keyEnd + 1);
        if (bytes[i] !== 0x3a) throw NOT_CERTAIN;
        const valueStart = skipWhitespace(bytes, i + 1);
        let valueEnd: number;
        if (isKey(bytes, keyStart, keyEnd, ID)) {
          if (seenId) throw NOT_CERTAIN;
          seenId = true;
          if (bytes[valueStart] === QUOTE) {
            valueEnd = scanString(bytes, valueStart);
            id = stringValue(bytes, valueStart, valueEnd, lastString.escaped, lastString.ascii);
          } else valueEnd = skipValue(bytes, valueStart, depth + 1);
        } else if (isKey(bytes, keyStart, keyEnd, DIVISION)) {
          if (seenDivision) throw NOT_CERTAIN;
          seenDivision = true;
          if (bytes[valueStart] === OPEN_OBJECT) {
            this.referenceFacts(valueStart, depth + 1);
            division = this.#factId;
            valueEnd = this.end;
          } else valueEnd = skipValue(bytes, valueStart, depth + 1);
        } else valueEnd = skipValue(bytes, valueStart, depth + 1);
        i = skipWhitespace(bytes, valueEnd);
        const c = bytes[i];
        if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
        else if (c === CLOSE_OBJECT) {
          i++;
          break;
        } else throw NOT_CERTAIN;
      }
    }
    this.end = i;
    this.#factId = id;
    this.#factDivision = division;
  }
}

const ID = Buffer.from('id');
const DIVISION = Buffer.from('division');

/** `^[A-Za-z][A-Za-z0-9_]{0,63}$`, the names a `map` field may have (as `projection.ts`). */
function isMapKey(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 64) return false;
  for (let k = start; k < end; k++) {
    const c = bytes[k]!;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (k === start ? !letter : !(letter || (c >= 0x30 && c <= 0x39) || c === 0x5f)) return false;
  }
  return true;
}
