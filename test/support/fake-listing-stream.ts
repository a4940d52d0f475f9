import type { ByteScoper } from '../../src/scoping/bytes/byte-listing.js';
import { StreamNotScopable, type ListingStream, type ListingStreamFactory } from '../../src/scoping/bytes/listing-stream.js';
import { listingEnvelope, type ListingOptions, type UpstreamPaging } from '../../src/scoping/filters/listing.js';
import type { ResponseContext } from '../../src/scoping/scope.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const PAGING_KEYS = ['pageSize', 'pageNumber', 'total', 'pageCount', 'nextUri'] as const;

/**
 * A ListingStream for tests: splits `{"entities":[…], …}` into entities as the bytes arrive and
 * scopes each with the row's byte scoper (as a listing of one), then writes the envelope by the
 * listing's own rules. Simple rather than fast; it stands in for the real one in the plumbing's tests.
 */
export function fakeListingStream(scoper: ByteScoper, optionsOf: (context: ResponseContext) => ListingOptions, maxEntityBytes = 1 << 20): ListingStreamFactory {
  return (context) => new SplittingListingStream(scoper, context, optionsOf(context), maxEntityBytes);
}

class SplittingListingStream implements ListingStream {
  kept = 0;
  removed = 0;
  #started = false;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #inEntities = false;
  #sawEntities = false;
  #lastKey = '';
  #string: number[] = [];
  #outside: number[] = [];
  #entity: number[] = [];

  constructor(
    readonly scoper: ByteScoper,
    readonly context: ResponseContext,
    readonly options: ListingOptions,
    readonly maxEntityBytes: number,
  ) {}

  push(chunk: Buffer): Buffer | undefined {
    const out: Buffer[] = [];
    if (!this.#started) {
      this.#started = true;
      out.push(Buffer.from('{"entities":['));
    }
    for (const byte of chunk) {
      const entity = this.#next(byte);
      if (entity) out.push(entity);
    }
    return out.length ? Buffer.concat(out) : undefined;
  }

  end(): Buffer {
    if (this.#depth !== 0 || !this.#sawEntities) throw new StreamNotScopable('the answer is not a whole listing');
    const upstream = JSON.parse(Buffer.from(this.#outside).toString('utf8')) as Record<string, unknown>;
    const paging: UpstreamPaging = Object.fromEntries(PAGING_KEYS.filter((key) => key in upstream).map((key) => [key, upstream[key]]));
    const total = this.kept + this.removed;
    const envelope = JSON.stringify(listingEnvelope(paging, total, this.kept, this.context, this.options));
    return Buffer.from(envelope === '{}' ? ']}' : `],${envelope.slice(1)}`);
  }

  /** One byte of the upstream answer; answers a scoped entity when one is complete and kept. */
  #next(byte: number): Buffer | undefined {
    if (this.#depth === 0 && byte !== OPEN_BRACE && !isSpace(byte)) throw new StreamNotScopable('the answer is not a listing');
    if (this.#inEntities && this.#depth >= 3) {
      this.#entity.push(byte);
      if (this.#entity.length > this.maxEntityBytes) throw new StreamNotScopable('an entity is larger than the proxy holds');
    }
    if (this.#inString) {
      if (this.#escaped) this.#escaped = false;
      else if (byte === BACKSLASH) this.#escaped = true;
      else if (byte === QUOTE) {
        this.#inString = false;
        if (this.#depth === 1) this.#lastKey = Buffer.from(this.#string).toString('utf8');
      }
      if (this.#depth === 1 && this.#inString) this.#string.push(byte);
      if (!this.#inEntities) this.#outside.push(byte);
      return undefined;
    }
    if (byte === QUOTE) {
      this.#inString = true;
      this.#string = [];
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (this.#inEntities && this.#depth === 2) {
        if (byte !== OPEN_BRACE) throw new StreamNotScopable('an entity is not an object');
        this.#entity = [byte];
      }
      if (this.#depth === 1 && byte === OPEN_BRACKET && this.#lastKey === 'entities') {
        if (this.#sawEntities) throw new StreamNotScopable('two entity arrays');
        this.#sawEntities = true;
        this.#inEntities = true;
        this.#outside.push(byte);
        this.#depth++;
        return undefined;
      }
      this.#depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      this.#depth--;
      if (this.#inEntities && this.#depth === 1) this.#inEntities = false;
      else if (this.#inEntities && this.#depth === 2) return this.#scope(Buffer.from(this.#entity));
    } else if (this.#inEntities && this.#depth === 2 && byte !== COMMA && !isSpace(byte)) {
      throw new StreamNotScopable('an entity is not an object');
    }
    if (!this.#inEntities) this.#outside.push(byte);
    return undefined;
  }

  #scope(entity: Buffer): Buffer | undefined {
    const scoped = this.scoper(Buffer.concat([Buffer.from('{"entities":['), entity, Buffer.from(']}')]), this.context);
    if (!scoped) throw new StreamNotScopable('an entity the byte scoper cannot vouch for');
    if (scoped.kept === 0) {
      this.removed++;
      return undefined;
    }
    const kept = JSON.stringify((JSON.parse(scoped.body.toString('utf8')) as { entities: unknown[] }).entities[0]);
    return Buffer.from(this.kept++ > 0 ? `,${kept}` : kept);
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
