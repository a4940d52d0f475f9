import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { byteListingScoper, type ByteScoper } from '../../src/scoping/bytes/byte-listing.js';
import { listingStreamScoper, type ListingStreamFactory } from '../../src/scoping/bytes/listing-stream.js';
import type { EntityKind } from '../../src/scoping/field-table.js';
import type { ListingOptions } from '../../src/scoping/filters/listing.js';
import { queueListingOptions, scopeQueueListingBytes, scopeQueueViewListingBytes, streamQueueListing, streamQueueViewListing } from '../../src/scoping/filters/queues.js';
import type { ResponseContext } from '../../src/scoping/scope.js';
import { referenceListing } from './byte-differential.js';
import { contextOf, entry, factsOf, scopeOf } from './scoping.js';

/**
 * The bodies a byte scanner is most likely to misread (test/fixtures/byte-scoper-corpus/), and the
 * scopers and context every one of them is run with.
 */
export interface CorpusEntry {
  readonly name: string;
  /** The body as text, or as base64 when it is not UTF-8. */
  readonly body?: string;
  readonly base64?: string;
  readonly kind?: EntityKind;
  /** What the whole-body byte scoper does with it. */
  readonly bytes: 'answers' | 'refuses';
  /** What the streamed scoper does with it, where that is pinned. */
  readonly stream?: 'answers' | 'refuses';
}

const CORPUS = 'test/fixtures/byte-scoper-corpus';

/** Every corpus file, by name, with its entries. */
export function corpusFiles(): { file: string; entries: CorpusEntry[] }[] {
  return readdirSync(CORPUS)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, entries: (JSON.parse(readFileSync(path.join(CORPUS, file), 'utf8')) as { entries: CorpusEntry[] }).entries }));
}

export function bodyOf(corpusEntry: CorpusEntry): Buffer {
  return corpusEntry.base64 !== undefined ? Buffer.from(corpusEntry.base64, 'base64') : Buffer.from(corpusEntry.body!, 'utf8');
}

const memberOptions: ListingOptions = { hasTotals: false, upstreamFiltered: false };
export function scopersOf(kind: EntityKind): { scoper: ByteScoper; stream: ListingStreamFactory; reference: ReturnType<typeof referenceListing> } {
  if (kind === 'queue') return { scoper: scopeQueueListingBytes, stream: streamQueueListing, reference: referenceListing('queue', queueListingOptions) };
  if (kind === 'queue view') return { scoper: scopeQueueViewListingBytes, stream: streamQueueViewListing, reference: referenceListing('queue view', queueListingOptions) };
  return { scoper: byteListingScoper(kind, () => memberOptions), stream: listingStreamScoper(kind, () => memberOptions), reference: referenceListing(kind, () => memberOptions) };
}

/** The tenant of division d:A:0, with queues and users in d:A:0 and d:B:0. */
export const corpusContext: ResponseContext = contextOf(scopeOf('d:A:0'), [['pageSize', ['25']]], {
  facts: factsOf(
    [entry('queue:A:1', 'd:A:0'), entry('queue:A:2', 'd:A:0'), entry('queue:B:1', 'd:B:0')],
    [entry('user:A:1', 'd:A:0'), entry('user:B:1', 'd:B:0')],
  ),
});
