import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { byteListingScoper, type ByteScoper } from '../../../../src/scoping/bytes/byte-listing.js';
import type { EntityKind } from '../../../../src/scoping/field-table.js';
import type { ListingOptions } from '../../../../src/scoping/filters/listing.js';
import { queueListingOptions, scopeQueueListingBytes, scopeQueueViewListingBytes } from '../../../../src/scoping/filters/queues.js';
import type { ResponseContext } from '../../../../src/scoping/scope.js';
import { compareWithReference, referenceListing } from '../../../support/byte-differential.js';
import { contextOf, entry, factsOf, scopeOf } from '../../../support/scoping.js';

/**
 * The bodies a byte scanner is most likely to misread (test/fixtures/byte-scoper-corpus/), and
 * every counterexample the differential properties ever found, each run through the same check:
 * the byte scoper refuses, or answers exactly what the reference answers. `bytes` pins which: a
 * body it refuses today and answers tomorrow (or the reverse) is a change to review, not noise.
 */
interface CorpusEntry {
  readonly name: string;
  /** The body as text, or as base64 when it is not UTF-8. */
  readonly body?: string;
  readonly base64?: string;
  readonly kind?: EntityKind;
  readonly bytes: 'answers' | 'refuses';
}

const CORPUS = 'test/fixtures/byte-scoper-corpus';
const files = readdirSync(CORPUS).filter((file) => file.endsWith('.json'));

const memberOptions: ListingOptions = { hasTotals: false, upstreamFiltered: false };
function scopersOf(kind: EntityKind): { scoper: ByteScoper; reference: ReturnType<typeof referenceListing> } {
  if (kind === 'queue') return { scoper: scopeQueueListingBytes, reference: referenceListing('queue', queueListingOptions) };
  if (kind === 'queue view') return { scoper: scopeQueueViewListingBytes, reference: referenceListing('queue view', queueListingOptions) };
  return { scoper: byteListingScoper(kind, () => memberOptions), reference: referenceListing(kind, () => memberOptions) };
}

const context: ResponseContext = contextOf(scopeOf('d:A:0'), [['pageSize', ['25']]], {
  facts: factsOf(
    [entry('queue:A:1', 'd:A:0'), entry('queue:A:2', 'd:A:0'), entry('queue:B:1', 'd:B:0')],
    [entry('user:A:1', 'd:A:0'), entry('user:B:1', 'd:B:0')],
  ),
});

describe('the byte scoper corpus', () => {
  it('has entries', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    const { entries } = JSON.parse(readFileSync(path.join(CORPUS, file), 'utf8')) as { entries: CorpusEntry[] };
    describe(file, () => {
      for (const corpusEntry of entries) {
        it(corpusEntry.name, () => {
          const body = corpusEntry.base64 !== undefined ? Buffer.from(corpusEntry.base64, 'base64') : Buffer.from(corpusEntry.body!, 'utf8');
          const { scoper, reference } = scopersOf(corpusEntry.kind ?? 'queue');
          const verdict = compareWithReference(scoper, reference, body, context);
          if (verdict.kind === 'different') throw new Error(verdict.why);
          expect(verdict.kind === 'equal' ? 'answers' : 'refuses').toBe(corpusEntry.bytes);
        });
      }
    });
  }
});
