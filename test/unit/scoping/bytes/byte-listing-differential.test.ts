import fc from 'fast-check';
import { byteListingScoper, type ByteScoper } from '../../../../src/scoping/bytes/byte-listing.js';
import type { EntityKind } from '../../../../src/scoping/field-table.js';
import type { ListingOptions } from '../../../../src/scoping/filters/listing.js';
import { queueListingOptions, scopeQueueListingBytes, scopeQueueViewListingBytes } from '../../../../src/scoping/filters/queues.js';
import type { ResponseContext, ScopedResponse } from '../../../../src/scoping/scope.js';
import { createRandom as random } from '../../../../src/simulator/prng.js';
import { AnswerMaker, DIVISIONS, divisionId, orgArb } from '../../../support/answer-maker.js';
import { compareWithReference, referenceListing, type Verdict } from '../../../support/byte-differential.js';
import { nodeOf, writeJson } from '../../../support/json-text.js';
import { listingOf, mutateBytes, mutateTree } from '../../../support/listing-mutations.js';
import { contextOf, factsOf, scopeOf } from '../../../support/scoping.js';

/**
 * The byte scoper against the parse-based reference it stands in for: for every body, it either
 * says nothing (the executor then asks the reference), or it answers exactly what the reference
 * answers. Each property runs with a fixed seed and with a seed of the moment (fast-check prints
 * the seed of a failure; a counterexample belongs in test/fixtures/byte-scoper-corpus/).
 */

interface Row {
  readonly scoper: ByteScoper;
  readonly reference: (body: Buffer, context: ResponseContext) => ScopedResponse;
  readonly kind: EntityKind;
}

/** A row as a counterexample names it. */
const named = (row: Row, name: string): Row => Object.assign(row, { [fc.toStringMethod]: () => name });

const production: Row[] = [
  named({ scoper: scopeQueueListingBytes, reference: referenceListing('queue', queueListingOptions), kind: 'queue' }, 'scopeQueueListingBytes'),
  named({ scoper: scopeQueueViewListingBytes, reference: referenceListing('queue view', queueListingOptions), kind: 'queue view' }, 'scopeQueueViewListingBytes'),
];
const KINDS: EntityKind[] = ['queue', 'queue view', 'queue member', 'user', 'division', 'wrap-up code'];

const optionsArb: fc.Arbitrary<ListingOptions> = fc.record(
  { hasTotals: fc.boolean(), upstreamFiltered: fc.boolean(), ceiling: fc.nat(12) },
  { requiredKeys: ['hasTotals', 'upstreamFiltered'] },
);
/** The production scopers half the time; otherwise any kind with any listing options. */
const rowArb: fc.Arbitrary<Row> = fc.oneof(
  fc.constantFrom(...production),
  fc
    .tuple(fc.constantFrom(...KINDS), optionsArb)
    .map(([kind, options]) =>
      named({ scoper: byteListingScoper(kind, () => options), reference: referenceListing(kind, () => options), kind }, `byteListingScoper(${JSON.stringify(kind)}, ${JSON.stringify(options)})`),
    ),
);
const queryArb = fc.constantFrom<[string, string[]][]>([], [['pageSize', ['10']]], [['name', ['a&b']], ['divisionId', ['d:A:0']]], [['pageNumber', ['3']], ['expand', ['x', 'y']]]);

const caseArb = fc.record({
  row: rowArb,
  org: orgArb,
  tenant: fc.subarray(DIVISIONS, { minLength: 1 }),
  query: queryArb,
  seed: fc.integer(),
  count: fc.nat(3),
  spacing: fc.constantFrom(0, 0.1, 0.5),
  escaping: fc.constantFrom(0, 0.05, 0.5),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function contextFor(input: Case): ResponseContext {
  return contextOf(scopeOf(...input.tenant.map(divisionId)), input.query, { facts: factsOf(input.org.queues, input.org.users) });
}

/** A well-formed listing, written with random whitespace and random escapes in its string values. */
function wellFormed(input: Case, maker: AnswerMaker) {
  return nodeOf(listingOf(maker, input.row.kind, input.count));
}

function write(tree: ReturnType<typeof nodeOf>, input: Case, maker: AnswerMaker): Buffer {
  return Buffer.from(writeJson(tree, { next: maker.next, spacing: input.spacing, escaping: input.escaping }), 'utf8');
}

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
          const maker = new AnswerMaker(input.org, random(input.seed));
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
          const maker = new AnswerMaker(input.org, random(input.seed));
          const tree = wellFormed(input, maker);
          const made: string[] = [];
          for (let i = 0; i < changes; i += 1) made.push(mutateTree(tree, maker));
          let body = write(tree, input, maker);
          if (breakBytes) {
            const broken = mutateBytes(body, maker);
            body = broken.body;
            made.push(broken.change);
          }
          const verdict = compareWithReference(input.row.scoper, input.row.reference, body, contextFor(input));
          expectAgreement(verdict, body, made.join('; '));
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
