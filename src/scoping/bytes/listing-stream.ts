import { entityFields, type EntityKind } from '../field-table.js';
import { listingEnvelope, UPSTREAM_PAGING_KEYS, type ListingOptions, type UpstreamPaging } from '../filters/listing.js';
import { referenceCheckOf } from '../projection.js';
import type { ResponseContext } from '../scope.js';
import { ByteProjector } from './byte-projection.js';
import { byteShapeOf, type ByteShape } from './byte-shape.js';
import { ByteSink } from './byte-sink.js';
import { NOT_CERTAIN, skipValue, skipWhitespace } from './json-bytes.js';
import { ListingEntities } from './listing-entity.js';
import { ValueEnd } from './value-end.js';

/**
 * Thrown when a streamed answer cannot be scoped. Before any byte went to the tenant the proxy
 * answers 502; after, it ends the answer as an error the client can detect (never a truncated
 * body that parses).
 */
export class StreamNotScopable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamNotScopable';
  }
}

/** A listing scoped as its bytes arrive: memory bounded by one entity and one chunk. */
export interface ListingStream {
  /** Feeds the next upstream bytes; answers what can be sent now (possibly nothing). */
  push(chunk: Buffer): Buffer | undefined;
  /** The upstream answer is complete: the rest of the tenant's answer (the envelope). */
  end(): Buffer;
  /** Entities written so far, and entities left out. */
  readonly kept: number;
  readonly removed: number;
}

export type ListingStreamFactory = (context: ResponseContext) => ListingStream;

/** The largest single entity (or other top-level value) a streamed listing may hold. */
export const MAX_STREAMED_VALUE_BYTES = 8 * 1024 * 1024;

/**
 * A listing of division-bearing entities scoped as it streams: the answer `byteListingScoper`
 * gives for the whole body, written entity by entity. An entity the byte scanner cannot vouch for
 * is judged by the reference (parsed alone: entities are scoped one by one in the reference too);
 * what cannot be judged at all (malformed JSON, a second `entities`) throws `StreamNotScopable`.
 */
export function listingStreamScoper(kind: EntityKind, optionsOf: (context: ResponseContext) => ListingOptions): ListingStreamFactory {
  const fields = entityFields.get(kind);
  if (!fields) throw new Error(`no field table for ${kind}`);
  const shape = byteShapeOf(fields);
  return (context) => new StreamedListing(kind, shape, context, optionsOf(context));
}

type Phase = 'start' | 'key' | 'colon' | 'value-start' | 'value' | 'after-value' | 'first-entity' | 'entity-start' | 'entity' | 'after-entity' | 'done';

const PAGING_KEYS: ReadonlySet<string> = new Set(UPSTREAM_PAGING_KEYS);
const LISTING_START = Buffer.from('{"entities":[');
const COMMA = Buffer.from(',');
const EMPTY = Buffer.alloc(0);

class StreamedListing implements ListingStream {
  kept = 0;
  #entities = 0;
  /** The bytes not yet consumed are `#store[#from, #to)`; the store is the last chunk itself, or owned and grown by doubling. */
  #store: Buffer = EMPTY;
  #owned = false;
  #from = 0;
  #to = 0;
  #phase: Phase = 'start';
  #key = '';
  /** How much of a key still arriving was searched for its closing quote already. */
  #keySearched = 0;
  #sawEntities = false;
  readonly #paging: Record<string, unknown> = {};
  readonly #valueEnd = new ValueEnd();
  readonly #check;
  readonly #listing;

  constructor(
    kind: EntityKind,
    shape: ByteShape,
    readonly context: ResponseContext,
    readonly options: ListingOptions,
  ) {
    this.#check = referenceCheckOf(context);
    this.#listing = new ListingEntities(shape, kind, context);
  }

  get removed(): number {
    return this.#entities - this.kept;
  }

  push(chunk: Buffer): Buffer | undefined {
    this.#hold(chunk);
    return this.#drain(false);
  }

  /**
   * Appends a chunk to the bytes not yet consumed. An entity that arrives in many small chunks is
   * copied a bounded number of times per byte (the store doubles), never once per chunk.
   */
  #hold(chunk: Buffer): void {
    const held = this.#to - this.#from;
    if (held === 0) {
      this.#store = chunk;
      this.#owned = false;
      this.#from = 0;
      this.#to = chunk.length;
      return;
    }
    const needed = held + chunk.length;
    if (!this.#owned || this.#to + chunk.length > this.#store.length) {
      if (this.#owned && needed <= this.#store.length >>> 1) {
        this.#store.copyWithin(0, this.#from, this.#to);
      } else {
        const store = Buffer.allocUnsafe(Math.max(needed * 2, 4096));
        this.#store.copy(store, 0, this.#from, this.#to);
        this.#store = store;
        this.#owned = true;
      }
      this.#from = 0;
      this.#to = held;
    }
    chunk.copy(this.#store, this.#to);
    this.#to += chunk.length;
  }

  end(): Buffer {
    const rest = this.#drain(true);
    if (this.#phase !== 'done') throw new StreamNotScopable('the listing ended before it was complete');
    if (!this.#sawEntities) throw new StreamNotScopable('a listing without an entities array');
    const envelope = JSON.stringify(listingEnvelope(this.#paging as UpstreamPaging, this.#entities, this.kept, this.context, this.options));
    const tail = Buffer.from(`],${envelope.slice(1)}`, 'utf8');
    return Buffer.concat([...(rest ? [rest] : []), ...(this.kept > 0 ? [] : [LISTING_START]), tail]);
  }

  #drain(final: boolean): Buffer | undefined {
    const bytes = this.#store.subarray(this.#from, this.#to);
    const sink = new ByteSink(bytes);
    const projector = new ByteProjector(bytes, sink, this.#check);
    let i = this.#phase === 'value' || this.#phase === 'entity' ? this.#valueEnd.start : 0;
    try {
      i = this.#advance(bytes, i, sink, projector, final);
    } catch (error) {
      if (error === NOT_CERTAIN) throw new StreamNotScopable('Genesys Cloud returned a listing the proxy could not read');
      throw error;
    }
    // Keep only what is not consumed: at most one key or value in progress.
    this.#from += Math.min(i, bytes.length);
    if (this.#from === this.#to) {
      this.#from = 0;
      this.#to = 0;
      if (!this.#owned) this.#store = EMPTY;
    }
    if (this.#phase === 'value' || this.#phase === 'entity') this.#valueEnd.rebase(i);
    if (this.#to - this.#from > MAX_STREAMED_VALUE_BYTES) throw new StreamNotScopable('a listing entity larger than the proxy reads');
    return sink.length > 0 ? sink.toBuffer() : undefined;
  }

  /** Runs the listing's grammar over `bytes` from `at`; answers the offset up to which they are consumed. */
  #advance(bytes: Buffer, at: number, sink: ByteSink, projector: ByteProjector, final: boolean): number {
    let i = at;
    for (;;) {
      if (this.#phase !== 'value' && this.#phase !== 'entity') {
        i = skipWhitespace(bytes, i);
        if (i >= bytes.length) return i;
      }
      switch (this.#phase) {
        case 'start':
          if (bytes[i] !== 0x7b) throw NOT_CERTAIN;
          i++;
          this.#phase = 'key';
          break;
        case 'key': {
          const next = this.#readKey(bytes, i);
          if (next === -1) return i;
          i = next;
          this.#phase = 'colon';
          break;
        }
        case 'colon':
          if (bytes[i] !== 0x3a) throw NOT_CERTAIN;
          i++;
          this.#phase = 'value-start';
          break;
        case 'value-start':
          if (this.#key === 'entities') {
            // A second `entities` would replace the first in JSON.parse, whose entities are already sent.
            if (this.#sawEntities || bytes[i] !== 0x5b) throw NOT_CERTAIN;
            this.#sawEntities = true;
            this.#phase = 'first-entity';
            i++;
            break;
          }
          this.#valueEnd.reset(i);
          this.#phase = 'value';
          break;
        case 'value': {
          const end = this.#valueEnd.find(bytes, final);
          if (end === -1) return i;
          // JSON.parse keeps the last of duplicate keys; so does this.
          if (PAGING_KEYS.has(this.#key)) this.#paging[this.#key] = parsed(bytes, i, end);
          // Any other value need only be JSON; one the scanner cannot vouch for (nested deeper than
          // it goes) is parsed, as the reference parses the whole body.
          else if (!isValue(bytes, i, end)) parsed(bytes, i, end);
          i = end;
          this.#phase = 'after-value';
          break;
        }
        case 'after-value':
          if (bytes[i] === 0x2c) this.#phase = 'key';
          else if (bytes[i] === 0x7d) this.#phase = 'done';
          else throw NOT_CERTAIN;
          i++;
          break;
        case 'first-entity':
          if (bytes[i] === 0x5d) {
            i++;
            this.#phase = 'after-value';
            break;
          }
          this.#phase = 'entity-start';
          break;
        case 'entity-start':
          this.#valueEnd.reset(i);
          this.#phase = 'entity';
          break;
        case 'entity': {
          const end = this.#valueEnd.find(bytes, final);
          if (end === -1) return i;
          this.#entities++;
          if (this.#listing.write(bytes, i, end, projector, sink, this.kept === 0 ? LISTING_START : COMMA)) this.kept++;
          i = end;
          this.#phase = 'after-entity';
          break;
        }
        case 'after-entity':
          if (bytes[i] === 0x2c) this.#phase = 'entity-start';
          else if (bytes[i] === 0x5d) this.#phase = 'after-value';
          else throw NOT_CERTAIN;
          i++;
          break;
        case 'done':
          throw NOT_CERTAIN;
      }
    }
  }

  /** A top-level key: the offset after its closing quote, or -1 until it has arrived whole. */
  #readKey(bytes: Buffer, at: number): number {
    if (bytes[at] !== 0x22) throw NOT_CERTAIN;
    const close = bytes.indexOf(0x22, at + 1 + this.#keySearched);
    if (close === -1) {
      this.#keySearched = bytes.length - at - 1;
      return -1;
    }
    this.#keySearched = 0;
    // Keys are compared as bytes: an escaped one (or one JSON.parse refuses) is not read.
    for (let k = at + 1; k < close; k++) if (bytes[k]! < 0x20 || bytes[k] === 0x5c) throw NOT_CERTAIN;
    this.#key = bytes.toString('utf8', at + 1, close);
    return close + 1;
  }

}

function isValue(bytes: Buffer, start: number, end: number): boolean {
  try {
    return skipValue(bytes, start, 1) === end;
  } catch (error) {
    if (error === NOT_CERTAIN) return false;
    throw error;
  }
}

/** The value at `start..end` as JSON.parse reads it in the whole body. */
function parsed(bytes: Buffer, start: number, end: number): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as unknown;
  } catch {
    throw NOT_CERTAIN;
  }
}
