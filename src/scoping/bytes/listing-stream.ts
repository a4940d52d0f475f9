import type { ResponseContext } from '../scope.js';

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
