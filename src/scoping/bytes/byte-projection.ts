import type { FieldRule, OnForeign, ReferenceTarget, ScalarType } from '../field-rule.js';
import type { ReferenceCheck } from '../projection.js';
import { byteShapeOf, fieldAt, nextVisit, type ByteShape } from './byte-shape.js';
import type { ByteSink } from './byte-sink.js';
import {
  forEachElement,
  forEachMember,
  kindAt,
  lastNumber,
  lastString,
  NOT_CERTAIN,
  scanNumber,
  scanString,
  skipValue,
  stringValue,
} from './json-bytes.js';
import type { Shape } from '../field-rule.js';

/** What became of one value: written to the sink, left out, or the whole entity must go. */
const KEPT = 0;
const GONE = 1;
const WITHHELD = 2;
type Outcome = typeof KEPT | typeof GONE | typeof WITHHELD;

const OPEN_BRACE = Buffer.from('{');
const CLOSE_BRACE = Buffer.from('}');
const CLOSE_BRACKET = Buffer.from(']');
const COMMA = Buffer.from(',');

/** The id of a reference object and the division Genesys embeds in it, when they are strings. */
interface ReferenceFacts {
  id: string | undefined;
  division: string | undefined;
}

/**
 * The field table applied to bytes: the same decisions as `projection.ts` (the reference, which
 * the differential tests hold this to), written as ranges of the upstream bytes. A kept field is
 * copied as Genesys sent it, from the first byte of its key to the last of its value; only the
 * punctuation around fields that go is written anew. Anything the scan cannot vouch for throws
 * `NOT_CERTAIN` and the caller answers from the reference instead.
 */
export class ByteProjector {
  /** References removed because they were not the tenant's (as `projection.ts` counts them). */
  removed = 0;
  /** Set by `entity`: the division the entity itself names (`division.id`), if it is a string. */
  entityDivision: string | undefined;
  /** The end of the last value read, for callers that drop what they scan. */
  end = 0;

  constructor(
    readonly bytes: Buffer,
    readonly sink: ByteSink,
    readonly check: ReferenceCheck,
  ) {}

  /**
   * One entity at `at`: writes it projected and returns KEPT, or writes nothing and returns
   * WITHHELD (an entity that is not an object is withheld too). `this.end` is where it ends.
   */
  entity(shape: Shape, at: number): boolean {
    const mark = this.sink.mark();
    this.entityDivision = undefined;
    if (this.bytes[at] !== 0x7b) {
      // The listing resumes from `entityEnd`: left stale, it would read this entity again and again.
      this.end = skipValue(this.bytes, at, 1);
      this.entityEnd = this.end;
      return false;
    }
    const outcome = this.object(byteShapeOf(shape), at, 1, true);
    this.entityEnd = this.end;
    if (outcome === WITHHELD) {
      this.sink.rollback(mark);
      return false;
    }
    return true;
  }

  /** Where the last `entity` ends. */
  entityEnd = 0;
  /** Whether the last `object` kept no field (it wrote `{}`). */
  private lastObjectEmpty = false;

  /** The object at `at`, projected by `shape`: KEPT (possibly `{}`, see `lastObjectEmpty`) or WITHHELD. */
  private object(shape: ByteShape, at: number, depth: number, isEntity = false): Outcome {
    const { bytes, sink } = this;
    const visit = nextVisit();
    let sawDivision = false;
    let written = 0;
    // The source offset the sink is level with, while everything since it is copied unchanged.
    let syncedTo = at + 1;
    let withheld = false;
    sink.copy(at, at + 1);
    const end = forEachMember(bytes, at, depth, (keyStart, keyEnd, valueStart) => {
      const field = fieldAt(shape, bytes, keyStart, keyEnd);
      if (field !== undefined) {
        // Checked even in an entity already withheld: with a duplicate, JSON.parse could judge it otherwise.
        if (shape.seenIn[field.index] === visit) throw NOT_CERTAIN;
        shape.seenIn[field.index] = visit;
      }
      // The entity's own division decides whether it is the tenant's, declared in its shape or not.
      if (isEntity && isKey(bytes, keyStart, keyEnd, DIVISION)) {
        if (sawDivision) throw NOT_CERTAIN;
        sawDivision = true;
        if (bytes[valueStart] === 0x7b) this.entityDivision = this.referenceFacts(valueStart, depth).id;
      }
      if (field === undefined || withheld) {
        syncedTo = -1;
        return skipValue(bytes, valueStart, depth);
      }
      const mark = sink.mark();
      if (syncedTo !== -1) sink.copy(syncedTo, valueStart);
      else {
        if (written > 0) sink.literal(COMMA);
        sink.copy(keyStart - 1, valueStart);
      }
      const outcome = this.field(field.rule, valueStart, depth);
      const valueEnd = this.end;
      if (outcome === KEPT) {
        written++;
        syncedTo = sink.endsAt(valueEnd) ? valueEnd : -1;
      } else {
        sink.rollback(mark);
        syncedTo = -1;
        if (outcome === WITHHELD) withheld = true;
      }
      return valueEnd;
    });
    this.end = end;
    if (withheld) return WITHHELD;
    if (syncedTo !== -1) sink.copy(syncedTo, end);
    else sink.literal(CLOSE_BRACE);
    this.lastObjectEmpty = written === 0;
    return KEPT;
  }

  /** One value by its rule. Sets `this.end`. */
  private field(rule: FieldRule, at: number, depth: number): Outcome {
    const bytes = this.bytes;
    switch (rule.kind) {
      case 'value':
        return this.scalar(rule.type, at, depth) ? KEPT : GONE;
      case 'values':
        return this.values(rule.type, at, depth);
      case 'object':
        return this.whole(rule.whole, () => (bytes[at] === 0x7b ? this.nonEmpty(this.object(byteShapeOf(rule.shape), at, depth + 1)) : this.skip(at, depth)));
      case 'objects':
        return this.whole(rule.whole, () => this.list(at, depth, (item) => (bytes[item] === 0x7b ? this.object(byteShapeOf(rule.shape), item, depth + 2) : this.skip(item, depth + 1))));
      case 'map':
        return this.map(rule.of, at, depth);
      case 'ref':
        return this.reference(rule.target, at, depth, rule.onForeign, () =>
          bytes[at] === 0x7b ? this.object(byteShapeOf(rule.shape), at, depth + 1) : this.skip(at, depth),
        );
      case 'refs': {
        const mark = this.sink.mark();
        const outcome = this.list(at, depth, (item) =>
          this.reference(rule.target, item, depth + 1, 'remove', () =>
            bytes[item] === 0x7b ? this.object(byteShapeOf(rule.shape), item, depth + 2) : this.skip(item, depth + 1),
          ),
        );
        // A list left empty by removals goes too: an empty list would still say that it had entries.
        if (outcome === KEPT && this.listCount === 0) {
          this.sink.rollback(mark);
          return GONE;
        }
        return outcome;
      }
      case 'ref-id':
        if (bytes[at] !== 0x22) return this.skip(at, depth);
        return this.reference(rule.target, at, depth, rule.onForeign, () => {
          this.sink.copy(at, this.end);
          return KEPT;
        });
      case 'drop':
        return this.skip(at, depth);
    }
  }

  /** Skips a value that goes; always GONE. */
  private skip(at: number, depth: number): Outcome {
    this.end = skipValue(this.bytes, at, depth);
    return GONE;
  }

  /** A scalar of the declared type: copied as is. A number must also be finite as JavaScript reads it. */
  private scalar(type: ScalarType, at: number, depth: number): boolean {
    const kind = kindAt(this.bytes, at);
    if (kind !== type) {
      this.skip(at, depth);
      return false;
    }
    const end = kind === 'number' ? scanNumber(this.bytes, at) : skipValue(this.bytes, at, depth);
    this.end = end;
    if (kind === 'number' && !lastNumber.plain && !Number.isFinite(Number(this.bytes.toString('latin1', at, end)))) return false;
    this.sink.copy(at, end);
    return true;
  }

  private values(type: ScalarType, at: number, depth: number): Outcome {
    if (this.bytes[at] !== 0x5b) return this.skip(at, depth);
    return this.list(at, depth, (item) => {
      const kept = this.scalar(type, item, depth + 1);
      return kept ? KEPT : GONE;
    });
  }

  /** How many entries the last `list` wrote. */
  private listCount = 0;

  /** An array whose entries `each` writes or leaves out; anything but an array is GONE. */
  private list(at: number, depth: number, each: (item: number) => Outcome): Outcome {
    const { bytes, sink } = this;
    if (bytes[at] !== 0x5b) return this.skip(at, depth);
    let written = 0;
    let syncedTo = at + 1;
    let withheld = false;
    sink.copy(at, at + 1);
    const end = forEachElement(bytes, at, depth + 1, (item) => {
      if (withheld) return skipValue(bytes, item, depth + 1);
      const mark = sink.mark();
      if (syncedTo !== -1) sink.copy(syncedTo, item);
      else if (written > 0) sink.literal(COMMA);
      const outcome = each(item);
      const itemEnd = this.end;
      if (outcome === KEPT) {
        written++;
        syncedTo = sink.endsAt(itemEnd) ? itemEnd : -1;
      } else {
        sink.rollback(mark);
        syncedTo = -1;
        if (outcome === WITHHELD) withheld = true;
      }
      return itemEnd;
    });
    this.end = end;
    this.listCount = written;
    if (withheld) return WITHHELD;
    if (syncedTo !== -1) sink.copy(syncedTo, end);
    else sink.literal(CLOSE_BRACKET);
    return KEPT;
  }

  /** An object keyed by names (media types, object types); each value by `of`. */
  private map(of: FieldRule, at: number, depth: number): Outcome {
    const { bytes, sink } = this;
    if (bytes[at] !== 0x7b) return this.skip(at, depth);
    const names = new Set<string>();
    const outer = sink.mark();
    let written = 0;
    let withheld = false;
    sink.literal(OPEN_BRACE);
    const end = forEachMember(bytes, at, depth + 1, (keyStart, keyEnd, valueStart) => {
      if (!isMapKey(bytes, keyStart, keyEnd)) return skipValue(bytes, valueStart, depth + 1);
      const name = bytes.toString('latin1', keyStart, keyEnd);
      if (names.has(name)) throw NOT_CERTAIN;
      names.add(name);
      if (withheld) return skipValue(bytes, valueStart, depth + 1);
      const mark = sink.mark();
      if (written > 0) sink.literal(COMMA);
      sink.copy(keyStart - 1, valueStart);
      const outcome = this.field(of, valueStart, depth + 1);
      const valueEnd = this.end;
      if (outcome === KEPT) written++;
      else {
        sink.rollback(mark);
        if (outcome === WITHHELD) withheld = true;
      }
      return valueEnd;
    });
    this.end = end;
    if (withheld) {
      sink.rollback(outer);
      return WITHHELD;
    }
    if (written === 0) {
      sink.rollback(outer);
      return GONE;
    }
    sink.literal(CLOSE_BRACE);
    return KEPT;
  }

  /**
   * A reference (an object with an `id`, or an id string): kept by `keep` when the tenant's,
   * otherwise removed (and counted) or, with `withhold`, the whole entity goes.
   */
  private reference(target: ReferenceTarget, at: number, depth: number, onForeign: OnForeign, keep: () => Outcome): Outcome {
    const bytes = this.bytes;
    let id: string | undefined;
    let division: string | undefined;
    if (bytes[at] === 0x22) {
      const end = scanString(bytes, at);
      id = stringValue(bytes, at, end, lastString.escaped, lastString.ascii);
      this.end = end;
    } else if (bytes[at] === 0x7b) {
      const facts = this.referenceFacts(at, depth);
      id = facts.id;
      division = facts.division;
    } else {
      this.end = skipValue(bytes, at, depth);
    }
    const own = id !== undefined && this.check.isOwn(target, id, division);
    if (own) return keep();
    if (onForeign === 'withhold') return WITHHELD;
    this.removed += 1;
    return GONE;
  }

  /** Reads `id` and `division.id` of the object at `at` (either may be absent); a duplicate of either is not certain. */
  referenceFacts(at: number, depth: number): ReferenceFacts {
    const bytes = this.bytes;
    const facts: ReferenceFacts = { id: undefined, division: undefined };
    let seenId = false;
    let seenDivision = false;
    if (bytes[at] !== 0x7b) return facts;
    this.end = forEachMember(bytes, at, depth + 1, (keyStart, keyEnd, valueStart) => {
      if (isKey(bytes, keyStart, keyEnd, ID)) {
        if (seenId) throw NOT_CERTAIN;
        seenId = true;
        if (bytes[valueStart] !== 0x22) return skipValue(bytes, valueStart, depth + 1);
        const end = scanString(bytes, valueStart);
        facts.id = stringValue(bytes, valueStart, end, lastString.escaped, lastString.ascii);
        return end;
      }
      if (isKey(bytes, keyStart, keyEnd, DIVISION)) {
        if (seenDivision) throw NOT_CERTAIN;
        seenDivision = true;
        if (bytes[valueStart] !== 0x7b) return skipValue(bytes, valueStart, depth + 1);
        const inner = this.referenceFacts(valueStart, depth + 1);
        facts.division = inner.id;
        return this.end;
      }
      return skipValue(bytes, valueStart, depth + 1);
    });
    return facts;
  }

  /** With `whole`, a field in which any reference was removed goes entirely. */
  private whole(whole: boolean | undefined, project: () => Outcome): Outcome {
    const before = this.removed;
    const mark = this.sink.mark();
    const outcome = project();
    if (whole && this.removed > before && outcome === KEPT) {
      this.sink.rollback(mark);
      return GONE;
    }
    return outcome;
  }

  /** An object that kept no field goes (the caller takes back the `{}` it wrote). */
  private nonEmpty(outcome: Outcome): Outcome {
    return outcome === KEPT && this.lastObjectEmpty ? GONE : outcome;
  }
}

const ID = Buffer.from('id');
const DIVISION = Buffer.from('division');

function isKey(bytes: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (bytes[start + k] !== key[k]) return false;
  return true;
}

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
