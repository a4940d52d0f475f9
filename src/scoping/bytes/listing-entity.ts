import { isUtf8 } from 'node:buffer';
import type { EntityKind } from '../field-table.js';
import { selectOwn } from '../filters/entity.js';
import type { ResponseContext } from '../scope.js';
import type { ByteProjector } from './byte-projection.js';
import type { ByteShape } from './byte-shape.js';
import type { ByteSink } from './byte-sink.js';
import { NOT_CERTAIN } from './json-bytes.js';
import { ValueEnd } from './value-end.js';

/**
 * Judges the entities of one listing, buffered or streamed, one at a time: an entity the tenant
 * may see is written after `separator`, projected on its bytes; one the scanner cannot vouch for
 * (a duplicate key, an escaped key, invalid UTF-8 in what would be copied, nesting past the
 * scanner's depth) is judged alone by the reference and written as the reference serialises it.
 *
 * Judging alone keeps the answer a function of the tenant's own entities: an odd entity of
 * another tenant is withheld like any other, and does not send the rest of the listing to
 * another path. Only what cannot be JSON at all throws `NOT_CERTAIN` (the whole answer then goes
 * to the reference, which fails it).
 */
export class ListingEntities {
  readonly #reference: (entity: unknown) => object | undefined;
  readonly #divisions: ReadonlySet<string>;
  readonly #boundary = new ValueEnd();
  /** Where the last entity ends. */
  end = 0;

  constructor(
    readonly shape: ByteShape,
    kind: EntityKind,
    context: ResponseContext,
  ) {
    this.#reference = selectOwn(kind, context);
    this.#divisions = context.scope.divisions;
  }

  /**
   * The entity at `start` (ending at `knownEnd` when the caller has found its end, else -1):
   * answers whether it was written.
   */
  write(bytes: Buffer, start: number, knownEnd: number, projector: ByteProjector, sink: ByteSink, separator: Buffer): boolean {
    const count = sink.count;
    const lastEnd = sink.lastEnd;
    const length = sink.length;
    sink.literal(separator);
    let kept: boolean;
    try {
      kept = projector.entity(this.shape, start);
      const division = projector.entityDivision;
      kept &&= division !== undefined && this.#divisions.has(division);
      this.end = projector.end;
      if (knownEnd !== -1 && this.end !== knownEnd) throw NOT_CERTAIN;
      // Copied bytes must decode as JSON.parse decodes them (it reads invalid UTF-8 as U+FFFD).
      if (kept && !isUtf8(bytes.subarray(start, this.end))) throw NOT_CERTAIN;
    } catch (error) {
      if (error !== NOT_CERTAIN) throw error;
      sink.rollback(count, lastEnd, length);
      sink.literal(separator);
      kept = this.#byReference(bytes, start, knownEnd, sink);
    }
    if (!kept) sink.rollback(count, lastEnd, length);
    return kept;
  }

  #byReference(bytes: Buffer, start: number, knownEnd: number, sink: ByteSink): boolean {
    let end = knownEnd;
    if (end === -1) {
      this.#boundary.reset(start);
      end = this.#boundary.find(bytes, true);
      if (end === -1) throw NOT_CERTAIN;
    }
    this.end = end;
    let entity: unknown;
    try {
      entity = JSON.parse(bytes.toString('utf8', start, end));
    } catch {
      throw NOT_CERTAIN;
    }
    const projected = this.#reference(entity);
    if (projected === undefined) return false;
    sink.literal(Buffer.from(JSON.stringify(projected), 'utf8'));
    return true;
  }
}
