/**
 * Where the byte scoper writes an answer: ranges of the upstream Buffer, kept as offsets, and the
 * few bytes the proxy writes itself. Adjacent ranges merge, so an entity kept whole is one range
 * however many fields it has. Nothing is copied until `toBuffer`, and then each range once.
 */
export class ByteSink {
  readonly #source: Buffer;
  /** Per piece: a source range `[start, end)`, or, when start is -1, the literal at index `end`. */
  #starts: number[] = [];
  #ends: number[] = [];
  #literals: Buffer[] = [];
  #count = 0;
  #length = 0;

  constructor(source: Buffer) {
    this.#source = source;
  }

  get length(): number {
    return this.#length;
  }

  /** Appends `source[start, end)`, extending the last range when it ends at `start`. */
  copy(start: number, end: number): void {
    if (end <= start) return;
    const last = this.#count - 1;
    if (last >= 0 && this.#starts[last] !== -1 && this.#ends[last] === start) {
      this.#ends[last] = end;
    } else {
      this.#starts[this.#count] = start;
      this.#ends[this.#count] = end;
      this.#count++;
    }
    this.#length += end - start;
  }

  /** Appends bytes the proxy writes itself (punctuation, a rebuilt envelope). */
  literal(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#literals.push(bytes);
    this.#starts[this.#count] = -1;
    this.#ends[this.#count] = this.#literals.length - 1;
    this.#count++;
    this.#length += bytes.length;
  }

  /** True when the last thing written is a source range that ends at `end`. */
  endsAt(end: number): boolean {
    const last = this.#count - 1;
    return last >= 0 && this.#starts[last] !== -1 && this.#ends[last] === end;
  }

  /** A point to come back to: everything written after it can be taken back. */
  mark(): SinkMark {
    const last = this.#count - 1;
    return { count: this.#count, lastEnd: last >= 0 ? this.#ends[last]! : 0, length: this.#length, literals: this.#literals.length };
  }

  rollback(mark: SinkMark): void {
    this.#count = mark.count;
    if (mark.count > 0) this.#ends[mark.count - 1] = mark.lastEnd;
    this.#length = mark.length;
    this.#literals.length = mark.literals;
  }

  /** The answer as one Buffer: one allocation, one copy of each range. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.#length);
    this.writeInto(out, 0);
    return out;
  }

  /** Hands the written pieces to `write` in order and empties the sink (for streaming). */
  drain(write: (chunk: Buffer) => void): void {
    if (this.#length > 0) write(this.toBuffer());
    this.#count = 0;
    this.#length = 0;
    this.#literals.length = 0;
  }

  private writeInto(out: Buffer, at: number): void {
    let offset = at;
    for (let i = 0; i < this.#count; i++) {
      const start = this.#starts[i]!;
      if (start === -1) {
        const literal = this.#literals[this.#ends[i]!]!;
        literal.copy(out, offset);
        offset += literal.length;
      } else {
        offset += this.#source.copy(out, offset, start, this.#ends[i]!);
      }
    }
  }
}

export interface SinkMark {
  readonly count: number;
  readonly lastEnd: number;
  readonly length: number;
  readonly literals: number;
}
