import { ReadSharing } from '../../../src/genesys/read-sharing.js';
import type { UpstreamRequest, UpstreamResponse } from '../../../src/genesys/upstream-client.js';
import { MemoryReadCache } from '../../../src/state/read-cache/read-cache.js';

const read: UpstreamRequest = { method: 'GET', pathAndQuery: '/api/v2/routing/queues/q-1', correlationId: 'c', read: true };
const answer = (body: string): UpstreamResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body), calls: 1 });

describe('read sharing partitioned by Genesys client', () => {
  it('never answers one client’s read with another client’s cached answer, over one cache', async () => {
    const cache = new MemoryReadCache();
    const proxy = new ReadSharing({ cache, ttlMs: 60_000 });
    const tenant = new ReadSharing({ cache, ttlMs: 60_000, client: 'bpo-acme' });
    await proxy.share(read, async () => answer('{"from":"proxy"}'));
    const fetched: string[] = [];
    const got = await tenant.share(read, async () => {
      fetched.push('tenant');
      return answer('{"from":"tenant"}');
    });
    expect(fetched).toEqual(['tenant']);
    expect(got.body.toString()).toBe('{"from":"tenant"}');
    expect((await tenant.share(read, async () => answer('{"from":"again"}'))).body.toString()).toBe('{"from":"tenant"}');
  });
});
