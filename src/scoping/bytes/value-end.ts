import { NOT_CERTAIN } from './json-bytes.js';

/**
 * Finds where a JSON value ends in bytes that arrive in pieces: it keeps its place (nesting,
 * inside a string, after a backslash) between calls, so each byte is looked at once however the
 * value is split. It only finds the boundary; the strict scanner checks the value once it is whole.
 */
export class ValueEnd {
  #start = 0;
  #position = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #scalar = false;
  #begun = false;

  /** Starts on the value whose first byte is at `at`. */
  reset(at: number): void {
    this.#start = at;
    this.#position = at;
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
    this.#scalar = false;
    this.#begun = false;
  }

  /** The bytes before `by` were dropped: offsets move down. */
  rebase(by: number): void {
    this.#start -= by;
    this.#position -= by;
  }

  get start(): number {
    return this.#start;
  }

  /**
   * The offset just after the value, or -1 while it is incomplete. With `final`, nothing more will
   * come: a number or literal may end with the bytes.
   */
  find(bytes: Uint8Array, final: boolean): number {
    let i = this.#position;
    const n = bytes.length;
    if (!this.#begun && i < n) {
      this.#begun = true;
      const c = bytes[i]!;
      if (c === 0x22) {
        this.#inString = true;
        i++;
      } else if (c !== 0x7b && c !== 0x5b) this.#scalar = true;
    }
    if (this.#scalar) {
      while (i < n) {
        const c = bytes[i]!;
        if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return i;
        i++;
      }
      this.#position = i;
      return final && i > this.#start ? i : -1;
    }
    while (i < n) {
      if (this.#inString) {
        let escaped = this.#escaped;
        while (i < n) {
          const c = bytes[i]!;
          i++;
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) {
            this.#inString = false;
            break;
          }
        }
        this.#escaped = escaped;
        if (this.#inString) break;
        if (this.#depth === 0) return i;
        continue;
      }
      const c = bytes[i]!;
      i++;
      if (c === 0x22) this.#inString = true;
      else if (c === 0x7b || c === 0x5b) this.#depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.#depth--;
        if (this.#depth === 0) return i;
        if (this.#depth < 0) throw NOT_CERTAIN;
      }
    }
    this.#position = i;
    return -1;
  }
}
