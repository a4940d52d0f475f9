import fc from 'fast-check';
import {
  forEachElement,
  forEachMember,
  kindAt,
  lastNumber,
  lastString,
  MAX_DEPTH,
  NOT_CERTAIN,
  scanNumber,
  scanString,
  skipValue,
  skipWhitespace,
  stringValue,
} from '../../../../src/scoping/bytes/json-bytes.js';

/** Whether the scanner vouches for `text` as one JSON value (whitespace around it allowed). */
function scans(text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  try {
    return skipWhitespace(bytes, skipValue(bytes, skipWhitespace(bytes, 0), 0)) === bytes.length;
  } catch (error) {
    if (error === NOT_CERTAIN) return false;
    throw error;
  }
}

function parses(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** How many objects and arrays are nested at the deepest point of `value`. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const inner of Object.values(value)) deepest = Math.max(deepest, depthOf(inner));
  return deepest + 1;
}

/** The scanner accepts exactly what JSON.parse accepts, but for values nested deeper than it reads. */
function agrees(text: string): void {
  const parsed = parses(text);
  const scanned = scans(text);
  if (parsed.ok && !scanned) expect(depthOf(parsed.value)).toBeGreaterThan(MAX_DEPTH);
  else expect({ text, scanned }).toEqual({ text, scanned: parsed.ok });
}

const TOKENS = ['{', '}', '[', ']', ':', ',', ' ', '\n', '"a"', '"', '\\', '"\\u00e9"', '"\\u12"', '"\\x"', '1', '-', '0', '01', '.', '5', 'e', 'E', '+', 'true', 'tru', 'null', 'false', 'NaN', '\u0001', 'é', '😀', '\t', '\r', '\u00a0', '\ufeff'];
const CHARS = [...'{}[]:,"\\0123456789-+.eEtrufalsnx/b \t\n\r', '\u0001', '\u001f', 'é', '\u2028', '\ud800', '😀'];

/** A valid JSON text with one character dropped, doubled or replaced: the near misses. */
const nearMiss = fc.tuple(fc.json({ maxDepth: 4 }), fc.nat(), fc.constantFrom(...CHARS), fc.nat(2)).map(([text, at, char, how]) => {
  const i = at % (text.length + 1);
  if (how === 0) return text.slice(0, i) + text.slice(i + 1);
  if (how === 1) return text.slice(0, i) + char + text.slice(i);
  return text.slice(0, i) + char + text.slice(i + 1);
});

describe('the JSON grammar over bytes', () => {
  it('accepts what JSON.parse accepts and nothing else (random texts, tokens, near misses)', () => {
    const texts = fc.oneof(
      fc.json({ maxDepth: 5 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value, null, 2)),
      fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 24 }),
      fc.array(fc.constantFrom(...TOKENS), { maxLength: 16 }).map((tokens) => tokens.join('')),
      fc.string({ unit: 'binary', maxLength: 16 }),
      nearMiss,
    );
    for (const seed of [0x15a, Date.now() | 0]) fc.assert(fc.property(texts, agrees), { seed, numRuns: 2500 });
  });

  it.each([
    ['01'], ['-01'], ['1.'], ['.5'], ['+1'], ['1e'], ['1e+'], ['-'], ['1.e5'], ['tru'], ['nul'], ['True'], ['NaN'], ['Infinity'], ["'x'"], ['0x10'],
    ['"\\x"'], ['"\\u12"'], ['"\\uZZZZ"'], ['"\u0001"'], ['"a\tb"'], ['"abc'], ['[1,]'], ['{"a":1,}'], ['{,}'], ['[,1]'], ['{"a" 1}'], ['{1:2}'],
    ['1 2'], ['\ufeff1'], ['\u00a01'], ['\u000b1'], [''], [' '], ['{"a":1}}'], ['[]]'],
    ['-0'], ['1e400'], ['-1e400'], ['1E+2'], ['0.5e-3'], ['"\\ud800"'], ['"\\udc00\\ud800"'], ['"\\/\\b\\f\\n\\r\\t\\"\\\\"'], ['"\u007f"'], ['"\u2028"'],
    [' {"a" : [ 1 , 2 ] } '], ['{"a":1,"a":2}'], ['{"":0}'],
  ])('agrees with JSON.parse on %j', (text) => agrees(text));

  it(`reads values nested ${MAX_DEPTH} deep and refuses one more`, () => {
    expect(scans('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH))).toBe(true);
    expect(scans('['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1))).toBe(false);
    expect(scans('{"a":'.repeat(MAX_DEPTH) + '1' + '}'.repeat(MAX_DEPTH))).toBe(true);
    expect(scans('{"a":'.repeat(MAX_DEPTH + 1) + '1' + '}'.repeat(MAX_DEPTH + 1))).toBe(false);
    expect(scans('['.repeat(10000) + ']'.repeat(10000))).toBe(false);
  });

  it('says when a number may not be finite as JavaScript reads it', () => {
    const plain = (text: string) => {
      expect(scanNumber(Buffer.from(text), 0)).toBe(text.length);
      return lastNumber.plain;
    };
    expect(plain('-12.5')).toBe(true);
    expect(plain('9'.repeat(300))).toBe(true);
    expect(plain('9'.repeat(301))).toBe(false);
    expect(plain('1e2')).toBe(false);
    // Whatever `plain` says, a plain number is finite.
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => (plain(String(value)) ? Number.isFinite(Number(String(value))) : true)));
  });

  it('decodes strings exactly as JSON.parse, and says when they have escapes or are not ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.boolean(), (value, escapeSlash) => {
        const token = escapeSlash ? JSON.stringify(value).replace(/\//g, '\\/') : JSON.stringify(value);
        const bytes = Buffer.from(token, 'utf8');
        const end = scanString(bytes, 0);
        expect(end).toBe(bytes.length);
        expect(lastString.escaped).toBe(token.includes('\\'));
        expect(lastString.ascii).toBe(!/[^\u0000-\u007f]/.test(token));
        expect(stringValue(bytes, 0, end, lastString.escaped, lastString.ascii)).toBe(JSON.parse(token));
      }),
      { seed: 0xc0de, numRuns: 1000 },
    );
  });

  it('names the kind of the value at an offset', () => {
    expect(['"a"', '{}', '[]', 'true', 'false', 'null', '-1', '2'].map((text) => kindAt(Buffer.from(text), 0))).toEqual(['string', 'object', 'array', 'boolean', 'boolean', 'null', 'number', 'number']);
  });

  it('walks members with their key spans, and refuses a key with an escape', () => {
    const bytes = Buffer.from(' { "id" : 1 , "x":[2] } ');
    const seen: string[] = [];
    const end = forEachMember(bytes, 1, 0, (keyStart, keyEnd, valueStart) => {
      seen.push(bytes.toString('utf8', keyStart, keyEnd));
      return skipValue(bytes, valueStart, 1);
    });
    expect(seen).toEqual(['id', 'x']);
    expect(end).toBe(bytes.length - 1);
    expect(() => forEachMember(Buffer.from('{"\\u0069d":1}'), 0, 0, (_s, _e, value) => value + 1)).toThrow(expect.objectContaining({ reason: 'not-certain' }));
    expect(() => forEachMember(Buffer.from('[1]'), 0, 0, (_s, _e, value) => value + 1)).toThrow(expect.objectContaining({ reason: 'not-certain' }));
  });

  it('walks elements, and refuses what is not an array', () => {
    const bytes = Buffer.from('[ 1,"a" ,{} ]');
    const starts: number[] = [];
    const end = forEachElement(bytes, 0, 0, (start) => {
      starts.push(start);
      return skipValue(bytes, start, 1);
    });
    expect(starts.map((start) => kindAt(bytes, start))).toEqual(['number', 'string', 'object']);
    expect(end).toBe(bytes.length);
    expect(() => forEachElement(Buffer.from('{}'), 0, 0, (start) => start)).toThrow(expect.objectContaining({ reason: 'not-certain' }));
  });
});
