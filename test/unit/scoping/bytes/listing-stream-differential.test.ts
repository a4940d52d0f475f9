import fc from 'fast-check';
import { MAX_STREAMED_VALUE_BYTES, StreamNotScopable } from '../../../../src/scoping/bytes/listing-stream.js';
import { createRandom as random } from '../../../../src/simulator/prng.js';
import type { AnswerMaker } from '../../../support/answer-maker.js';
import { bodyOf, corpusContext, corpusFiles, scopersOf } from '../../../support/byte-corpus.js';
import { nodesOf, type JsonNode } from '../../../support/json-text.js';
import { adversarial, caseArb, contextFor, makerFor, wellFormed, write, type Case } from '../../../support/listing-cases.js';
import { chunksOf, compareStreamWithReference, runStream, type StreamVerdict } from '../../../support/stream-differential.js';

/**
 * The streamed listing scoper against the parse-based reference, on the same listings as the byte
 * scoper's differential and on the whole corpus, each cut in random chunks (cut inside characters,
 * escapes, keys, and between a key and its colon): it writes exactly the reference's answer, or
 * refuses where the reference throws or where streaming is documented to give up, having written
 * nothing that parses and no entity the reference would not show.
 */

const SEEDS = [0x5eed, Date.now() | 0];
const NON_ASCII = ['é', '😀', '\u2028', 'ß中', '\u00a0'];

/** Some string values of the tree given characters of two, three and four bytes. */
function withNonAscii(tree: JsonNode, maker: AnswerMaker): JsonNode {
  for (const node of nodesOf(tree)) if (node.kind === 'string' && maker.chance(0.2)) node.value = `${node.value}${maker.pick(NON_ASCII)}`;
  return tree;
}

function check(input: Case, body: Buffer, chunkSeed: number, change: string): StreamVerdict {
  const chunks = chunksOf(body, random(chunkSeed));
  const verdict = compareStreamWithReference(input.row.stream, input.row.kind, input.row.reference, body, contextFor(input), chunks);
  if (verdict.kind === 'different') {
    throw new Error(`${verdict.why}\n change: ${change}\n chunks: ${JSON.stringify(chunks.map((chunk) => chunk.length))}\n body: ${body.toString('utf8')}`);
  }
  return verdict;
}

describe('the streamed listing scoper writes what the reference answers, or refuses', () => {
  for (const seed of SEEDS) {
    it(`writes every well-formed listing exactly as the reference, however it is cut (seed ${seed})`, () => {
      let kept = 0;
      let removed = 0;
      fc.assert(
        fc.property(caseArb, fc.integer(), fc.boolean(), (input, chunkSeed, nonAscii) => {
          const maker = makerFor(input);
          const tree = wellFormed(input, maker);
          const body = write(nonAscii ? withNonAscii(tree, maker) : tree, input, maker);
          const verdict = check(input, body, chunkSeed, nonAscii ? 'non-ASCII strings' : '');
          // A well-formed listing without duplicate or escaped keys leaves nothing to refuse.
          if (verdict.kind !== 'equal') throw new Error(`the stream refused (${verdict.kind === 'refused' ? verdict.because : ''}) ${body.toString('utf8')}`);
          kept += verdict.kept;
          removed += verdict.removed;
        }),
        { seed, numRuns: 200 },
      );
      expect(kept).toBeGreaterThan(40);
      expect(removed).toBeGreaterThan(40);
    });

    it(`on adversarial listings, refuses only where it may, or agrees (seed ${seed})`, () => {
      const verdicts: Record<StreamVerdict['kind'], number> = { equal: 0, refused: 0, different: 0 };
      fc.assert(
        fc.property(caseArb, fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.integer(), (input, changes, breakBytes, chunkSeed) => {
          const maker = makerFor(input);
          const { body, made } = adversarial(input, maker, changes, breakBytes, withNonAscii(wellFormed(input, maker), maker));
          verdicts[check(input, body, chunkSeed, made).kind] += 1;
        }),
        { seed, numRuns: 450 },
      );
      expect(verdicts.refused).toBeGreaterThan(60);
      expect(verdicts.equal).toBeGreaterThan(60);
    });
  }
});

describe('the streamed listing scoper on the corpus', () => {
  for (const { file, entries } of corpusFiles()) {
    it(`${file}: every entry, in one chunk, byte by byte and cut at random`, () => {
      for (const corpusEntry of entries) {
        const body = bodyOf(corpusEntry);
        const { stream, reference } = scopersOf(corpusEntry.kind ?? 'queue');
        const next = random(body.length);
        const cuts = [[body], chunksOf(body, () => 0.15), ...Array.from({ length: 6 }, () => chunksOf(body, next))];
        for (const chunks of cuts) {
          const verdict = compareStreamWithReference(stream, corpusEntry.kind ?? 'queue', reference, body, corpusContext, chunks);
          if (verdict.kind === 'different') throw new Error(`${corpusEntry.name}: ${verdict.why}`);
          if (corpusEntry.stream !== undefined) expect([corpusEntry.name, verdict.kind === 'equal' ? 'answers' : 'refuses']).toEqual([corpusEntry.name, corpusEntry.stream]);
        }
      }
    });
  }
});

describe('the streamed listing scoper and the largest entity it holds', () => {
  const { stream, reference } = scopersOf('queue');
  const own = '{"id":"queue:A:1","name":"Queue A 1","division":{"id":"d:A:0","name":"A"}}';
  const listingWith = (nameBytes: number) => Buffer.from(`{"entities":[${own},{"id":"queue:A:2","division":{"id":"d:A:0"},"name":"${'x'.repeat(nameBytes)}"}],"pageSize":25}`);
  // Small chunks: the bytes held between them must not be copied again for every chunk.
  const inChunks = (body: Buffer, size: number) => Array.from({ length: Math.ceil(body.length / size) }, (_, k) => body.subarray(k * size, (k + 1) * size));

  it('writes an entity just under the limit, arriving in 1 KiB chunks', () => {
    const body = listingWith(MAX_STREAMED_VALUE_BYTES - 100);
    const verdict = compareStreamWithReference(stream, 'queue', reference, body, corpusContext, inChunks(body, 1024));
    expect(verdict).toEqual({ kind: 'equal', kept: 2, removed: 0 });
  });

  it('refuses an entity over the limit, having written only the entity before it', () => {
    const body = listingWith(MAX_STREAMED_VALUE_BYTES + 128 * 1024);
    const verdict = compareStreamWithReference(stream, 'queue', reference, body, corpusContext, inChunks(body, 64 * 1024));
    expect(verdict).toEqual({ kind: 'refused', because: 'a value over the streamed limit' });
    const run = runStream(stream, corpusContext, inChunks(body, 64 * 1024));
    expect(run.error).toBeInstanceOf(StreamNotScopable);
    expect(run.written.toString('utf8')).toBe(`{"entities":[${own}`);
  });
});
