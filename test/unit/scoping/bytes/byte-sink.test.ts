import fc from 'fast-check';
import { ByteSink } from '../../../../src/scoping/bytes/byte-sink.js';

/** What a caller reads before writing something it may take back. */
type Mark = readonly [count: number, lastEnd: number, length: number];
const markOf = (sink: ByteSink): Mark => [sink.count, sink.lastEnd, sink.length];

const source = Buffer.from('abcdefghijklmnopqrstuvwxyz');

/** What a sink writes, as a plain string: the model the sink is held to. */
type Op = { op: 'copy'; start: number; end: number } | { op: 'literal'; text: string } | { op: 'mark' } | { op: 'rollback' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.nat(26), fc.nat(4)).map(([start, length]) => ({ op: 'copy' as const, start, end: Math.min(26, start + length) })) },
  // Adjacent copies are the case that merges: the next range starts where the last one ended.
  { weight: 3, arbitrary: fc.nat(4).map((length) => ({ op: 'copy' as const, start: -1, end: length })) },
  { weight: 2, arbitrary: fc.constantFrom('', ',', '}', ']', '{"x":').map((text) => ({ op: 'literal' as const, text })) },
  { weight: 2, arbitrary: fc.constant({ op: 'mark' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'rollback' as const }) },
);

describe('ByteSink', () => {
  it('writes what its ranges and literals say, whatever is taken back (against a string model)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const sink = new ByteSink(source);
        let model = '';
        let lastEnd = -1;
        const marks: { mark: Mark; model: string; lastEnd: number }[] = [];
        for (const step of ops) {
          if (step.op === 'copy') {
            const start = step.start === -1 ? Math.max(lastEnd, 0) : step.start;
            const end = Math.min(26, step.start === -1 ? start + step.end : step.end);
            sink.copy(start, end);
            model += source.toString('latin1', start, end);
            if (end > start) lastEnd = end;
          } else if (step.op === 'literal') {
            sink.literal(Buffer.from(step.text));
            model += step.text;
            if (step.text !== '') lastEnd = -1;
          } else if (step.op === 'mark') {
            marks.push({ mark: markOf(sink), model, lastEnd });
          } else {
            const back = marks.pop();
            if (back === undefined) continue;
            sink.rollback(...back.mark);
            model = back.model;
            lastEnd = back.lastEnd;
          }
          expect(sink.length).toBe(model.length);
          if (lastEnd !== -1) expect(sink.endsAt(lastEnd)).toBe(true);
        }
        expect(sink.toBuffer().toString('latin1')).toBe(model);
      }),
      { seed: 0x51c, numRuns: 2000 },
    );
  });

  it('merges adjacent ranges, and a rollback takes back the part merged into the last range', () => {
    const sink = new ByteSink(source);
    sink.copy(0, 2);
    const mark = markOf(sink);
    sink.copy(2, 5);
    expect(sink.endsAt(5)).toBe(true);
    sink.rollback(...mark);
    expect(sink.endsAt(2)).toBe(true);
    expect(sink.endsAt(5)).toBe(false);
    sink.copy(10, 11);
    expect(sink.toBuffer().toString()).toBe('abk');
  });

  it('does not merge across a literal, and endsAt is false after one', () => {
    const sink = new ByteSink(source);
    sink.copy(0, 2);
    sink.literal(Buffer.from(','));
    expect(sink.endsAt(2)).toBe(false);
    sink.copy(2, 4);
    expect(sink.toBuffer().toString()).toBe('ab,cd');
  });

  it('takes back literals and ranges written after a mark, leaving what came before', () => {
    const sink = new ByteSink(source);
    sink.literal(Buffer.from('['));
    const mark = markOf(sink);
    sink.copy(3, 6);
    sink.literal(Buffer.from(','));
    sink.copy(6, 8);
    sink.rollback(...mark);
    sink.literal(Buffer.from(']'));
    expect(sink.toBuffer().toString()).toBe('[]');
    expect(sink.length).toBe(2);
  });

  it('ignores empty ranges and literals', () => {
    const sink = new ByteSink(source);
    sink.copy(4, 4);
    sink.copy(5, 3);
    sink.literal(Buffer.alloc(0));
    expect(sink.length).toBe(0);
    expect(sink.toBuffer().length).toBe(0);
  });
});
