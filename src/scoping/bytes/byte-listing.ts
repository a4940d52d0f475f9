import { entityFields, type EntityKind } from '../field-table.js';
import { listingEnvelope, UPSTREAM_PAGING_KEYS, type ListingOptions, type UpstreamPaging } from '../filters/listing.js';
import { referenceCheckOf } from '../projection.js';
import type { ResponseContext } from '../scope.js';
import { ByteProjector } from './byte-projection.js';
import { byteShapeOf } from './byte-shape.js';
import { ListingEntities } from './listing-entity.js';
import { ByteSink } from './byte-sink.js';
import { forEachElement, forEachMember, isKey, NOT_CERTAIN, skipValue, skipWhitespace } from './json-bytes.js';

/** A scoped answer as bytes, ready to send. */
export interface ByteScoped {
  readonly body: Buffer;
  readonly kept: number;
  readonly removed: number;
}

/**
 * Scopes an upstream body held as bytes, or answers undefined when it cannot vouch for the result;
 * the caller then parses the body and scopes it with the reference scoper.
 */
export type ByteScoper = (body: Buffer, context: ResponseContext) => ByteScoped | undefined;

const PAGING_KEY_BYTES = UPSTREAM_PAGING_KEYS.map((key) => Buffer.from(key));
const ENTITIES = Buffer.from('entities');
const LISTING_START = Buffer.from('{"entities":[');
const COMMA = Buffer.from(',');
const NOTHING = Buffer.alloc(0);

/**
 * A listing of division-bearing entities (`{entities: [...], pageSize, ...}`) scoped on its bytes:
 * the same answer as `scopeProjectedListing` with `selectOwn(kind)`, with every kept entity copied
 * from the upstream bytes (less the fields its table drops) and only the envelope written anew.
 * An entity the scanner cannot vouch for is judged alone by the reference (`listing-entity.ts`);
 * only an envelope it cannot read (a second `entities`, a paging key twice, not JSON) sends the
 * whole answer to the reference.
 */
export function byteListingScoper(kind: EntityKind, optionsOf: (context: ResponseContext) => ListingOptions): ByteScoper {
  const fields = entityFields.get(kind);
  if (!fields) throw new Error(`no field table for ${kind}`);
  const shape = byteShapeOf(fields);
  return (body, context) => {
    try {
      return scanListing(body, context, new ListingEntities(shape, kind, context), optionsOf(context));
    } catch (error) {
      if (error === NOT_CERTAIN) return undefined;
      throw error;
    }
  };
}

function scanListing(body: Buffer, context: ResponseContext, entities: ListingEntities, options: ListingOptions): ByteScoped | undefined {
  const sink = new ByteSink(body);
  const projector = new ByteProjector(body, sink, referenceCheckOf(context));
  const paging: { -readonly [K in keyof UpstreamPaging]: unknown } = {};
  let sawEntities = false;
  let entityCount = 0;
  let kept = 0;
  sink.literal(LISTING_START);
  const start = skipWhitespace(body, 0);
  if (body[start] !== 0x7b) return undefined;
  const end = forEachMember(body, start, 0, (keyStart, keyEnd, valueStart) => {
    if (isKey(body, keyStart, keyEnd, ENTITIES)) {
      if (sawEntities) throw NOT_CERTAIN;
      sawEntities = true;
      if (body[valueStart] !== 0x5b) throw NOT_CERTAIN;
      return forEachElement(body, valueStart, 1, (item) => {
        entityCount++;
        if (entities.write(body, item, -1, projector, sink, kept > 0 ? COMMA : NOTHING)) kept++;
        return entities.end;
      });
    }
    const pagingKey = PAGING_KEY_BYTES.findIndex((key) => isKey(body, keyStart, keyEnd, key));
    const valueEnd = skipValue(body, valueStart, 1);
    if (pagingKey !== -1) {
      const name = UPSTREAM_PAGING_KEYS[pagingKey]!;
      if (name in paging) throw NOT_CERTAIN;
      paging[name] = JSON.parse(body.toString('utf8', valueStart, valueEnd));
    }
    return valueEnd;
  });
  if (skipWhitespace(body, end) !== body.length || !sawEntities) return undefined;
  const envelope = JSON.stringify(listingEnvelope(paging, entityCount, kept, context, options));
  // `{"pageSize":…}` becomes `],"pageSize":…}` after the entities.
  sink.literal(Buffer.from(`],${envelope.slice(1)}`, 'utf8'));
  return { body: sink.toBuffer(), kept, removed: entityCount - kept };
}
