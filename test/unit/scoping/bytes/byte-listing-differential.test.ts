import fc from 'fast-check';
import { compareWithReference, type Verdict } from '../../../support/byte-differential.js';
import { adversarial, caseArb, contextFor, makerFor, wellFormed, write } from '../../../support/listing-cases.js';

/**
 * The byte scoper against the parse-based reference it stands in for: for every body, it either
 * says nothing (the executor then asks the reference), or it answers exactly what the reference
 * answers. Each property runs with a fixed seed and with a seed of the moment (fast-check prints
 * the seed of a failure; a counterexample belongs in test/fixtures/byte-scoper-corpus/).
 */

function expectAgreement(verdict: Verdict, body: Buffer, change = ''): void {
  if (verdict.kind === 'different') throw new Error(`${verdict.why}\n change: ${change}\n body: ${body.toString('utf8')}`);
}

const SEEDS = [0x5eed, Date.now() | 0];

describe('the byte listing scoper answers what the reference answers, or nothing', () => {
  for (const seed of SEEDS) {
    it(`answers every well-formed listing, exactly as the reference (seed ${seed})`, () => {
      let kept = 0;
      let removed = 0;
      fc.assert(
        fc.property(caseArb, (input) => {
          const maker = makerFor(input);
          const body = write(wellFormed(input, maker), input, maker);
          const verdict = compareWithReference(input.row.scoper, input.row.reference, body, contextFor(input));
          expectAgreement(verdict, body);
          // Without duplicate or escaped keys, bad tokens or deep nesting, there is nothing to refuse.
          if (verdict.kind !== 'equal') throw new Error(`the byte scoper said nothing (${verdict.kind}) on ${body.toString('utf8')}`);
          kept += verdict.kept;
          removed += verdict.removed;
        }),
        { seed, numRuns: 500 },
      );
      // Both outcomes are exercised: the property is not met by keeping nothing or everything.
      expect(kept).toBeGreaterThan(100);
      expect(removed).toBeGreaterThan(100);
    });

    it(`on adversarial listings, refuses or agrees (seed ${seed})`, () => {
      const verdicts: Record<Verdict['kind'], number> = { undecided: 0, equal: 0, 'both-threw': 0, different: 0 };
      fc.assert(
        fc.property(caseArb, fc.integer({ min: 1, max: 3 }), fc.boolean(), (input, changes, breakBytes) => {
          const { body, made } = adversarial(input, makerFor(input), changes, breakBytes);
          const verdict = compareWithReference(input.row.scoper, input.row.reference, body, contextFor(input));
          expectAgreement(verdict, body, made);
          verdicts[verdict.kind] += 1;
        }),
        { seed, numRuns: 1000 },
      );
      // The mutations reach both sides of the line: some are refused, some are read and agree.
      expect(verdicts.undecided).toBeGreaterThan(200);
      expect(verdicts.equal).toBeGreaterThan(200);
    });
  }
});
