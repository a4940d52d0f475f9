/**
 * The grammar of JSON (RFC 8259) over bytes, strictly: a scan either proves a value well formed
 * and says where it ends, or throws `NOT_CERTAIN`. Whoever scans answers a `NOT_CERTAIN` with the
 * parse-based scoper, which stays the reference: the byte path never guesses.
 *
 * Offsets are byte offsets into one Buffer; nothing here allocates on the way through a value.
 */

/** Thrown when the bytes are not JSON the scanner can vouch for. One object: no stack is captured. */
export const NOT_CERTAIN: { readonly reason: 'not-certain' } = Object.freeze({ reason: 'not-certain' });

/** Objects and arrays nested deeper than this are left to the reference parser. */
export const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Facts about the last string `scanString` read, for callers that must decode it. */
export const lastString = { escaped: false, ascii: true };

/** Whitespace JSON allows between tokens: space, tab, line feed, carriage return. */
export function skipWhitespace(bytes: Uint8Array, at: number): number {
  let i = at;
  for (;;) {
    const c = bytes[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** `at` is on the opening quote; returns the offset after the closing one. */
export function scanString(bytes: Uint8Array, at: number): number {
  let escaped = false;
  let high = 0;
  let i = at + 1;
  const end = bytes.length;
  while (i < end) {
    const c = bytes[i]!;
    // Most bytes are plain printable characters: one comparison chain, no branch per kind.
    if (c > 0x22 && c !== BACKSLASH) {
      high |= c;
      i++;
      continue;
    }
    if (c === QUOTE) {
      lastString.escaped = escaped;
      lastString.ascii = high < 0x80;
      return i + 1;
    }
    if (c === BACKSLASH) {
      escaped = true;
      i = escapeEnd(bytes, i);
      continue;
    }
    // Raw control characters are not allowed inside a string.
    if (c < 0x20) throw NOT_CERTAIN;
    i++;
  }
  throw NOT_CERTAIN;
}

/**
 * A key: `at` is the first byte after its opening quote; returns the offset of its closing quote.
 * Keys with escapes are not certain (they could spell a declared key another way).
 */
export function scanKey(bytes: Uint8Array, at: number): number {
  let i = at;
  const end = bytes.length;
  while (i < end) {
    const c = bytes[i]!;
    if (c > 0x22 && c !== BACKSLASH) i++;
    else if (c === QUOTE) return i;
    else if (c === BACKSLASH || c < 0x20) throw NOT_CERTAIN;
    else i++;
  }
  throw NOT_CERTAIN;
}

function escapeEnd(bytes: Uint8Array, at: number): number {
  const c = bytes[at + 1];
  switch (c) {
    case 0x22: // "
    case 0x5c: // \
    case 0x2f: // /
    case 0x62: // b
    case 0x66: // f
    case 0x6e: // n
    case 0x72: // r
    case 0x74: // t
      return at + 2;
    case 0x75: // u
      for (let k = at + 2; k < at + 6; k++) if (!isHexDigit(bytes[k])) throw NOT_CERTAIN;
      return at + 6;
    default:
      throw NOT_CERTAIN;
  }
}

function isHexDigit(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Facts about the last number `scanNumber` read. */
export const lastNumber = { plain: true };

/**
 * `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. `lastNumber.plain` says the number has
 * no exponent and few digits, so it is finite as JavaScript reads it; otherwise the caller decides.
 */
export function scanNumber(bytes: Uint8Array, at: number): number {
  let i = at;
  let plain = true;
  if (bytes[i] === 0x2d) i++;
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i])) while (isDigit(bytes[i])) i++;
  else throw NOT_CERTAIN;
  if (bytes[i] === 0x2e) {
    i++;
    if (!isDigit(bytes[i])) throw NOT_CERTAIN;
    while (isDigit(bytes[i])) i++;
  }
  const e = bytes[i];
  if (e === 0x65 || e === 0x45) {
    plain = false;
    i++;
    if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
    if (!isDigit(bytes[i])) throw NOT_CERTAIN;
    while (isDigit(bytes[i])) i++;
  }
  // 300 digits stay below Number.MAX_VALUE (about 1.8e308) whatever they are.
  lastNumber.plain = plain && i - at <= 300;
  return i;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function scanWord(bytes: Uint8Array, at: number, word: readonly number[]): number {
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word[k]) throw NOT_CERTAIN;
  return at + word.length;
}

/** Any value, checked all the way down; `at` is on its first byte. */
export function skipValue(bytes: Uint8Array, at: number, depth: number): number {
  switch (bytes[at]) {
    case 0x22:
      return scanString(bytes, at);
    case 0x7b:
      return skipObject(bytes, at, depth + 1);
    case 0x5b:
      return skipArray(bytes, at, depth + 1);
    case 0x74:
      return scanWord(bytes, at, TRUE);
    case 0x66:
      return scanWord(bytes, at, FALSE);
    case 0x6e:
      return scanWord(bytes, at, NULL);
    default:
      return scanNumber(bytes, at);
  }
}

function skipObject(bytes: Uint8Array, at: number, depth: number): number {
  if (depth > MAX_DEPTH) throw NOT_CERTAIN;
  let i = skipWhitespace(bytes, at + 1);
  if (bytes[i] === 0x7d) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) throw NOT_CERTAIN;
    i = skipWhitespace(bytes, scanString(bytes, i));
    if (bytes[i] !== 0x3a) throw NOT_CERTAIN;
    i = skipWhitespace(bytes, i + 1);
    i = skipWhitespace(bytes, skipValue(bytes, i, depth));
    const c = bytes[i];
    if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
    else if (c === 0x7d) return i + 1;
    else throw NOT_CERTAIN;
  }
}

function skipArray(bytes: Uint8Array, at: number, depth: number): number {
  if (depth > MAX_DEPTH) throw NOT_CERTAIN;
  let i = skipWhitespace(bytes, at + 1);
  if (bytes[i] === 0x5d) return i + 1;
  for (;;) {
    i = skipWhitespace(bytes, skipValue(bytes, i, depth));
    const c = bytes[i];
    if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
    else if (c === 0x5d) return i + 1;
    else throw NOT_CERTAIN;
  }
}

/** The kinds of value, as `typeof` would name the parsed value (null apart). */
export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function kindAt(bytes: Uint8Array, at: number): ValueKind {
  switch (bytes[at]) {
    case 0x22:
      return 'string';
    case 0x7b:
      return 'object';
    case 0x5b:
      return 'array';
    case 0x74:
    case 0x66:
      return 'boolean';
    case 0x6e:
      return 'null';
    default:
      return 'number';
  }
}

/**
 * Walks the members of the object at `at`, calling `member(keyStart, keyEnd, valueStart)` with the
 * key's span between its quotes; the callback returns where the value ends. Returns the offset
 * after the closing brace. Keys with escapes are not certain: they could spell a declared key.
 */
export function forEachMember(
  bytes: Uint8Array,
  at: number,
  depth: number,
  member: (keyStart: number, keyEnd: number, valueStart: number) => number,
): number {
  if (bytes[at] !== 0x7b) throw NOT_CERTAIN;
  if (depth > MAX_DEPTH) throw NOT_CERTAIN;
  let i = skipWhitespace(bytes, at + 1);
  if (bytes[i] === 0x7d) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) throw NOT_CERTAIN;
    const keyEnd = scanString(bytes, i);
    if (lastString.escaped) throw NOT_CERTAIN;
    const keyStart = i + 1;
    i = skipWhitespace(bytes, keyEnd);
    if (bytes[i] !== 0x3a) throw NOT_CERTAIN;
    i = skipWhitespace(bytes, i + 1);
    i = skipWhitespace(bytes, member(keyStart, keyEnd - 1, i));
    const c = bytes[i];
    if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
    else if (c === 0x7d) return i + 1;
    else throw NOT_CERTAIN;
  }
}

/** Walks the elements of the array at `at`; `element(start)` returns where the element ends. */
export function forEachElement(bytes: Uint8Array, at: number, depth: number, element: (start: number) => number): number {
  if (bytes[at] !== 0x5b) throw NOT_CERTAIN;
  if (depth > MAX_DEPTH) throw NOT_CERTAIN;
  let i = skipWhitespace(bytes, at + 1);
  if (bytes[i] === 0x5d) return i + 1;
  for (;;) {
    i = skipWhitespace(bytes, element(i));
    const c = bytes[i];
    if (c === 0x2c) i = skipWhitespace(bytes, i + 1);
    else if (c === 0x5d) return i + 1;
    else throw NOT_CERTAIN;
  }
}

/**
 * The string value of the string token at `at..end` (quotes included). Plain ASCII is read as
 * Latin-1 (the same characters, faster); anything else is decoded exactly as JSON.parse would.
 */
export function stringValue(bytes: Buffer, at: number, end: number, escaped: boolean, ascii: boolean): string {
  if (!escaped) return bytes.toString(ascii ? 'latin1' : 'utf8', at + 1, end - 1);
  return JSON.parse(bytes.toString('utf8', at, end)) as string;
}

/** Whether the key between its quotes at `start..end` is exactly `key` (no escapes: keys with one are not certain). */
export function isKey(bytes: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (bytes[start + k] !== key[k]) return false;
  return true;
}
