import { compareWithReference } from '../../../support/byte-differential.js';
import { bodyOf, corpusContext, corpusFiles, scopersOf } from '../../../support/byte-corpus.js';

/**
 * The bodies a byte scanner is most likely to misread (test/fixtures/byte-scoper-corpus/), and
 * every counterexample the differential properties ever found, each run through the same check:
 * the byte scoper refuses, or answers exactly what the reference answers. `bytes` pins which: a
 * body it refuses today and answers tomorrow (or the reverse) is a change to review, not noise.
 */
const files = corpusFiles();

describe('the byte scoper corpus', () => {
  it('has entries', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const { file, entries } of files) {
    describe(file, () => {
      for (const corpusEntry of entries) {
        it(corpusEntry.name, () => {
          const { scoper, reference } = scopersOf(corpusEntry.kind ?? 'queue');
          const verdict = compareWithReference(scoper, reference, bodyOf(corpusEntry), corpusContext);
          if (verdict.kind === 'different') throw new Error(verdict.why);
          expect(verdict.kind === 'equal' ? 'answers' : 'refuses').toBe(corpusEntry.bytes);
        });
      }
    });
  }
});
