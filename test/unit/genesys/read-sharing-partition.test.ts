import { MemoryReadCache } from '../../../src/state/read-cache/read-cache.js';
import { ReadSharing } from '../../../src/genesys/read-sharing.js';
import type { UpstreamResponse } from '../../../src/genesys/upstream-client.js';

const read = { method: 'GET', pathAndQuery: '/api/v2/routing/queues?divisionId=d1', correlationId: 'c', read: true };
const answer = (body: string): UpstreamResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body), calls: 1 });

describe('ReadSharing partitions', () => {
  it('serves a cached answer only within the partition it was read in', async () => {
    let partition = 'p1';
    const sharing = new ReadSharing({ cache: new MemoryReadCache(), ttlMs: 60_000, partition: () => partition });
    let calls = 0;
    const fetch = async () => answer(`{"n":${++calls}}`);
    expect((await sharing.share(read, fetch)).body.toString()).toBe('{"n":1}');
    expect((await sharing.share(read, fetch)).body.toString()).toBe('{"n":1}');
    partition = 'p2';
    expect((await sharing.share(read, fetch)).body.toString()).toBe('{"n":2}');
    expect(calls).toBe(2);
  });

  it('does not let a read in a new partition join one in flight from the old', async () => {
    let partition = 'p1';
    const sharing = new ReadSharing({ ttlMs: 0, partition: () => partition });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slow = async () => {
      calls += 1;
      await gate;
      return answer('{"before":true}');
    };
    const first = sharing.share(read, slow);
    const joined = sharing.share(read, slow);
    partition = 'p2';
    const after = sharing.share(read, async () => {
      calls += 1;
      return answer('{"after":true}');
    });
    expect((await after).body.toString()).toBe('{"after":true}');
    release();
    expect((await joined).calls).toBe(0);
    expect((await first).body.toString()).toBe('{"before":true}');
    expect(calls).toBe(2);
  });
});
