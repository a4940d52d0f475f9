import fc from 'fast-check';
import { ValueEnd } from '../../../../src/scoping/bytes/value-end.js';

/**
 * ValueEnd finds where a JSON value ends, however its bytes are split: for every split of every
 * value below, the end it finds is the one JSON's grammar gives (the length of the value's text),
 * and it finds none while the value is incomplete.
 */

/** Feeds `text` to a fresh finder split at `cuts`, as the stream does: the bytes so far, each time. */
function endWhenSplit(text: Buffer, cuts: readonly number[], final = false): number {
  const finder = new ValueEnd();
  finder.reset(0);
  let end = -1;
  for (const cut of [...cuts, text.length]) {
    end = finder.find(text.subarray(0, cut), final && cut === text.length);
    if (end !== -1) return end;
  }
  return end;
}

const VALUES = [
  '{}',
  '[]',
  '""',
  '"a"',
  '"\\""',
  '"\\\\"',
  '"\\\\\\""',
  '"a\\u0022b"',
  '"é😀\u2028中"',
  '{"a":"}"}',
  '{"a":"]","b":["}",{"c":"\\\\"}]}',
  '[[[[[]]]],{"x":[{}]}]',
  '{"entities":[{"id":"queue:A:1","division":{"id":"d:A:0"}}],"pageSize":25}',
  '{"k\\"ey":{"\\\\":"\\"}\\"{"}}',
  '[1,-2.5e+3,true,false,null,"x"]',
];
/** Scalars end at the first delimiter or whitespace after them. */
const SCALARS = ['0', '-0.5', '1e400', 'true', 'false', 'null', '123456789012345678901234567890'];
const FOLLOWERS = [',', '}', ']', ' ', '\n', '\r', '\t'];

describe('ValueEnd', () => {
  it('finds the end of every value at every split position', () => {
    for (const value of VALUES) {
      const text = Buffer.from(`${value},"after":1}`);
      const length = Buffer.byteLength(value);
      for (let cut = 0; cut <= text.length; cut++) expect([value, cut, endWhenSplit(text, [cut])]).toEqual([value, cut, length]);
    }
  });

  it('finds nothing while a value is incomplete', () => {
    for (const value of VALUES) {
      const text = Buffer.from(value);
      for (let cut = 0; cut < text.length; cut++) expect([value, cut, new ValueEnd().find(text.subarray(0, cut), false)]).toEqual([value, cut, -1]);
    }
  });

  it('ends a scalar at the delimiter after it, or with the bytes when nothing more comes', () => {
    for (const scalar of SCALARS) {
      for (const follower of FOLLOWERS) {
        const text = Buffer.from(`${scalar}${follower}1`);
        for (let cut = 0; cut <= text.length; cut++) expect([scalar, follower, cut, endWhenSplit(text, [cut])]).toEqual([scalar, follower, cut, scalar.length]);
      }
      expect(endWhenSplit(Buffer.from(scalar), [1], true)).toBe(scalar.length);
      expect(endWhenSplit(Buffer.from(scalar), [1], false)).toBe(-1);
    }
  });

  it('finds the same end however a value is cut in many pieces', () => {
    const jsonArb = fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value)).filter((text) => text.startsWith('{') || text.startsWith('[') || text.startsWith('"'));
    fc.assert(
      fc.property(jsonArb, fc.array(fc.nat(), { maxLength: 20 }), (value, cuts) => {
        const text = Buffer.from(`${value} ,{"x":"}"}`);
        const length = Buffer.byteLength(value);
        const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        expect(endWhenSplit(text, positions)).toBe(length);
      }),
      { seed: 0x5eed, numRuns: 300 },
    );
  });

  it('keeps its place when the bytes before the value are dropped', () => {
    const text = Buffer.from('   {"a":["x\\"",{"b":"]"}]} tail');
    const finder = new ValueEnd();
    finder.reset(3);
    expect(finder.find(text.subarray(0, 12), false)).toBe(-1);
    // The stream drops what it consumed: the value now starts at 0.
    finder.rebase(3);
    expect(finder.start).toBe(0);
    expect(finder.find(text.subarray(3), false)).toBe(text.indexOf(' tail') - 3);
  });

  it('ends a value at a close of the other kind: the boundary only, the strict scanner refuses it', () => {
    for (const text of ['[}', '{"a":[1}}', '{]']) {
      const finder = new ValueEnd();
      finder.reset(0);
      expect([text, finder.find(Buffer.from(`${text},`), false)]).toEqual([text, text.length]);
    }
  });
});
