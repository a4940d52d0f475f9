import fc from 'fast-check';
import { byteListingScoper, type ByteScoper } from '../../src/scoping/bytes/byte-listing.js';
import { listingStreamScoper, type ListingStreamFactory } from '../../src/scoping/bytes/listing-stream.js';
import type { EntityKind } from '../../src/scoping/field-table.js';
import type { ListingOptions } from '../../src/scoping/filters/listing.js';
import {
  queueListingOptions,
  scopeQueueListingBytes,
  scopeQueueViewListingBytes,
  streamQueueListing,
  streamQueueViewListing,
} from '../../src/scoping/filters/queues.js';
import type { ResponseContext, ScopedResponse } from '../../src/scoping/scope.js';
import { createRandom as random } from '../../src/simulator/prng.js';
import { AnswerMaker, DIVISIONS, divisionId, orgArb } from './answer-maker.js';
import { referenceListing } from './byte-differential.js';
import { nodeOf, writeJson, type JsonNode } from './json-text.js';
import { listingOf, mutateBytes, mutateTree } from './listing-mutations.js';
import { contextOf, factsOf, scopeOf } from './scoping.js';

/**
 * The listings the byte scoper and the streamed scoper are held to the reference on: a scoper row
 * (the production ones, or any kind with any listing options), a random org and tenant, and a
 * listing written with random whitespace and escapes, well-formed or changed the ways a scanner
 * could misread.
 */

export interface Row {
  readonly scoper: ByteScoper;
  readonly stream: ListingStreamFactory;
  readonly reference: (body: Buffer, context: ResponseContext) => ScopedResponse;
  readonly kind: EntityKind;
}

/** A row as a counterexample names it. */
const named = (row: Row, name: string): Row => Object.assign(row, { [fc.toStringMethod]: () => name });

const production: Row[] = [
  named({ scoper: scopeQueueListingBytes, stream: streamQueueListing, reference: referenceListing('queue', queueListingOptions), kind: 'queue' }, 'queue listing'),
  named({ scoper: scopeQueueViewListingBytes, stream: streamQueueViewListing, reference: referenceListing('queue view', queueListingOptions), kind: 'queue view' }, 'queue view listing'),
];
const KINDS: EntityKind[] = ['queue', 'queue view', 'queue member', 'user', 'division', 'wrap-up code'];

const optionsArb: fc.Arbitrary<ListingOptions> = fc.record(
  { hasTotals: fc.boolean(), upstreamFiltered: fc.boolean(), ceiling: fc.nat(12) },
  { requiredKeys: ['hasTotals', 'upstreamFiltered'] },
);
/** The production scopers half the time; otherwise any kind with any listing options. */
const rowArb: fc.Arbitrary<Row> = fc.oneof(
  fc.constantFrom(...production),
  fc.tuple(fc.constantFrom(...KINDS), optionsArb).map(([kind, options]) =>
    named(
      { scoper: byteListingScoper(kind, () => options), stream: listingStreamScoper(kind, () => options), reference: referenceListing(kind, () => options), kind },
      `${JSON.stringify(kind)} listing, ${JSON.stringify(options)}`,
    ),
  ),
);
const queryArb = fc.constantFrom<[string, string[]][]>([], [['pageSize', ['10']]], [['name', ['a&b']], ['divisionId', ['d:A:0']]], [['pageNumber', ['3']], ['expand', ['x', 'y']]]);

export const caseArb = fc.record({
  row: rowArb,
  org: orgArb,
  tenant: fc.subarray(DIVISIONS, { minLength: 1 }),
  query: queryArb,
  seed: fc.integer(),
  count: fc.nat(3),
  spacing: fc.constantFrom(0, 0.1, 0.5),
  escaping: fc.constantFrom(0, 0.05, 0.5),
});
export type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

export function contextFor(input: Case): ResponseContext {
  return contextOf(scopeOf(...input.tenant.map(divisionId)), input.query, { facts: factsOf(input.org.queues, input.org.users) });
}

export function makerFor(input: Case): AnswerMaker {
  return new AnswerMaker(input.org, random(input.seed));
}

/** A well-formed listing as a tree, to be written (or changed first). */
export function wellFormed(input: Case, maker: AnswerMaker): JsonNode {
  return nodeOf(listingOf(maker, input.row.kind, input.count));
}

/** The tree as bytes, with the case's random whitespace and escapes in string values. */
export function write(tree: JsonNode, input: Case, maker: AnswerMaker): Buffer {
  return Buffer.from(writeJson(tree, { next: maker.next, spacing: input.spacing, escaping: input.escaping }), 'utf8');
}

/** A listing changed `changes` times in its tree and, with `breakBytes`, once in its bytes; and what was changed. */
export function adversarial(input: Case, maker: AnswerMaker, changes: number, breakBytes: boolean, tree = wellFormed(input, maker)): { body: Buffer; made: string } {
  const made: string[] = [];
  for (let i = 0; i < changes; i += 1) made.push(mutateTree(tree, maker));
  let body = write(tree, input, maker);
  if (breakBytes) {
    const broken = mutateBytes(body, maker);
    body = broken.body;
    made.push(broken.change);
  }
  return { body, made: made.join('; ') };
}
