/**
 * An answer scoped as it arrives (a listing past STREAM_THRESHOLD_BYTES): the bytes ready now, the
 * rest as the upstream answer comes in. Whoever sends it either reads `rest` to its end or calls
 * `cancel`, which closes the call to Genesys.
 */
export class StreamedJson {
  constructor(
    /** Scoped bytes ready before the first wait (possibly none). */
    readonly head: Buffer,
    /**
     * The rest of the tenant's answer, scoped, ending with the listing's envelope. Fails with a
     * GatewayError (the upstream broke, went silent, or sent what cannot be scoped).
     */
    readonly rest: AsyncIterable<Buffer>,
    /** Stops the upstream call; safe at any time, and more than once. */
    readonly cancel: () => void,
    /** Entities written so far and entities left out: final once `rest` has ended. */
    readonly tally: { readonly kept: number; readonly removed: number },
  ) {}
}
