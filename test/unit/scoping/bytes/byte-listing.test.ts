import { queueListingOptions, scopeQueueListingBytes } from '../../../../src/scoping/filters/queues.js';
import { compareWithReference, referenceListing } from '../../../support/byte-differential.js';
import { contextOf, entry, factsOf, scopeOf } from '../../../support/scoping.js';

const reference = referenceListing('queue', queueListingOptions);
const context = contextOf(scopeOf('d:A:0'), [], { facts: factsOf([entry('queue:A:1', 'd:A:0'), entry('queue:B:1', 'd:B:0')]) });

const own = (n: number) => `{"id":"queue:A:${n}","name":"Own ${n}","division":{"id":"d:A:0","name":"A"},"acwSettings":{"wrapupPrompt":"OPTIONAL","timeoutMs":${n}},"selfUri":"/q/${n}"}`;
/** A foreign queue that looks like an own one up to its last field: everything before it is written before the division is met. */
const foreignLast = '{"id":"queue:B:7","name":"Secret name","description":"Secret text","acwSettings":{"timeoutMs":7},"selfUri":"/secret","division":{"id":"d:B:0","name":"Secret division"}}';

function scoped(body: string) {
  const answer = scopeQueueListingBytes(Buffer.from(body), context);
  if (answer === undefined) throw new Error('the byte scoper refused a well-formed listing');
  return answer;
}

describe('byteListingScoper', () => {
  it('writes the tenant’s queues byte for byte the same whatever odd entities of other tenants stand beside them', () => {
    // Genesys's own spelling of a number (0.80) survives the byte path; a foreign queue the
    // scanner cannot vouch for must not send the whole page to the reference, which would respell it.
    const ownQueue = '{"id":"queue:A:1","division":{"id":"d:A:0"},"mediaSettings":{"call":{"serviceLevel":{"percentage":0.80,"durationMs":20000}}}}';
    const page = (...entities: string[]) => `{"entities":[${entities.join(',')}],"pageSize":25,"pageNumber":1}`;
    const alone = scoped(page(ownQueue)).body.toString();
    expect(alone).toContain('"percentage":0.80');
    const foreignOdd = [
      '{"id":"queue:B:1","name":"a","name":"b","division":{"id":"d:B:0"}}',
      '{"id":"queue:B:1","\u006eame":"escaped","division":{"id":"d:B:0"}}',
      '{"id":"queue:B:1","division":{"id":"d:B:0"},"deep":' + '['.repeat(80) + ']'.repeat(80) + '}',
    ];
    for (const odd of foreignOdd) {
      expect(scoped(page(odd, ownQueue)).body.toString()).toBe(alone);
      expect(scoped(page(ownQueue, odd)).body.toString()).toBe(alone);
    }
    const invalidUtf8 = Buffer.concat([Buffer.from('{"entities":[{"id":"queue:B:1","name":"'), Buffer.from([0xff]), Buffer.from(`","division":{"id":"d:B:0"}},${ownQueue}],"pageSize":25,"pageNumber":1}`)]);
    expect(scopeQueueListingBytes(invalidUtf8, context)?.body.toString()).toBe(alone);
  });

  it('keeps the keys of entities and their parts in the order Genesys sent them, as the reference does', () => {
    const body = `{"pageSize":25,"total":1,"entities":[{"selfUri":"/q","acwSettings":{"timeoutMs":1,"wrapupPrompt":"X"},"division":{"name":"A","id":"d:A:0"},"name":"Q","id":"queue:A:9"}],"pageNumber":1}`;
    const answer = scoped(body);
    const entity = (JSON.parse(answer.body.toString()) as { entities: Record<string, unknown>[] }).entities[0]!;
    expect(Object.keys(entity)).toEqual(['selfUri', 'acwSettings', 'division', 'name', 'id']);
    expect(Object.keys(entity['acwSettings'] as object)).toEqual(['timeoutMs', 'wrapupPrompt']);
    expect(Object.keys(entity['division'] as object)).toEqual(['name', 'id']);
    // The envelope is the reference's: entities first, then paging in the reference's order.
    const expected = reference(Buffer.from(body), context);
    expect(answer.body.toString()).toBe(expected.kind === 'ok' ? JSON.stringify(expected.body) : expected.kind);
  });

  it('copies kept entities byte for byte and nothing of an entity whose division is foreign', () => {
    const body = `{"entities":[${own(1)},${foreignLast},${own(2)}, ${foreignLast}],"pageSize":25}`;
    const answer = scoped(body);
    const text = answer.body.toString();
    expect(text.startsWith(`{"entities":[${own(1)},${own(2)}],`)).toBe(true);
    expect(text).not.toMatch(/Secret|queue:B|d:B|\/secret/);
    expect(answer).toMatchObject({ kept: 2, removed: 2 });
    expect(compareWithReference(scopeQueueListingBytes, reference, Buffer.from(body), context)).toMatchObject({ kind: 'equal' });
  });

  it('writes nothing of a foreign entity first in the listing, nor a comma for it', () => {
    const answer = scoped(`{"entities":[${foreignLast},${own(3)}]}`);
    expect(answer.body.toString().startsWith(`{"entities":[${own(3)}],`)).toBe(true);
  });

  it('refuses every truncation of a listing, which the reference cannot parse either', () => {
    const body = Buffer.from(`{"entities":[${own(1)},${foreignLast},5,${own(2)}],"pageSize":25,"nextUri":"/x"}`);
    for (let end = 0; end < body.length; end += 1) {
      const verdict = compareWithReference(scopeQueueListingBytes, reference, body.subarray(0, end), context);
      expect({ end, verdict }).toEqual({ end, verdict: { kind: 'undecided', referenceThrew: true } });
    }
    expect(compareWithReference(scopeQueueListingBytes, reference, body, context)).toMatchObject({ kind: 'equal', kept: 2, removed: 2 });
  });
});
