/**
 * Where the byte scoper writes an answer: ranges of the upstream Buffer, kept as offsets, and the
 * few bytes the proxy writes itself. Adjacent ranges merge, so an entity kept whole is one range
 * however many fields it has. Nothing is copied until `toBuffer`, and then each range once.
 *
 * Taking back what was written (a field that turns out to go) is `rollback(count, lastEnd, length)`
 * with the three numbers read before writing it: plain numbers, so marking costs no allocation.
 */
export class ByteSink {
  readonly #source: Buffer;
  /** Per piece: a source range `[start, end)`, or, when start is negative, the literal at `-start - 1`. */
  #starts: number[] = [];
  #ends: number[] = [];
  /** Append-only: a piece taken back leaves its literal unused. */
  #literals: Buffer[] = [];
  count = 0;
  length = 0;

  constructor(source: Buffer) {
    this.#source = source;
  }

  /** The end of the last piece, for `rollback`. */
  get lastEnd(): number {
    return this.count > 0 ? this.#ends[this.count - 1]! : 0;
  }

  /** Appends `source[start, end)`, extending the last range when it ends at `start`. */
  copy(start: number, end: number): void {
    if (end <= start) return;
    const last = this.count - 1;
    if (last >= 0 && this.#starts[last]! >= 0 && this.#ends[last] === start) {
      this.#ends[last] = end;
    } else {
      this.#starts[this.count] = start;
      this.#ends[this.count] = end;
      this.count++;
    }
    this.length += end - start;
  }

  /** Appends bytes the proxy writes itself (punctuation, a rebuilt envelope). */
  literal(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#literals.push(bytes);
    this.#starts[this.count] = -this.#literals.length;
    this.#ends[this.count] = 0;
    this.count++;
    this.length += bytes.length;
  }

  /** True when the last thing written is a source range that ends at `end`. */
  endsAt(end: number): boolean {
    const last = this.count - 1;
    return last >= 0 && this.#starts[last]! >= 0 && this.#ends[last] === end;
  }

  /** Takes back everything written since `count`, `lastEnd` and `length` were read. */
  rollback(count: number, lastEnd: number, length: number): void {
    this.count = count;
    if (count > 0) this.#ends[count - 1] = lastEnd;
    this.length = length;
  }

  /** The answer as one Buffer: one allocation, one copy of each range. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    // Plain Uint8Array views: `set` from a view copies without Buffer.copy's checks per range.
    const source = new Uint8Array(this.#source.buffer, this.#source.byteOffset, this.#source.length);
    let offset = 0;
    for (let i = 0; i < this.count; i++) {
      const start = this.#starts[i]!;
      if (start < 0) {
        const literal = this.#literals[-start - 1]!;
        out.set(literal, offset);
        offset += literal.length;
      } else {
        const end = this.#ends[i]!;
        out.set(source.subarray(start, end), offset);
        offset += end - start;
      }
    }
    return out;
  }
}
