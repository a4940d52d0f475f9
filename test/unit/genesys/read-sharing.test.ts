import { ReadSharing } from '../../../src/genesys/read-sharing.js';
import { isStreamed, type StreamedResponse, type UpstreamAnswer, type UpstreamRequest, type UpstreamResponse } from '../../../src/genesys/upstream-client.js';
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

describe('read sharing of a streamed answer', () => {
  const streamed = (): StreamedResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    calls: 1,
    head: Buffer.from('{"entities":['),
    rest: (async function* () {})(),
    cancel: () => undefined,
  });

  it('keeps it for the call that got it: a waiter that joined makes its own call, and nothing is cached', async () => {
    const results: string[] = [];
    const sharing = new ReadSharing({ cache: new MemoryReadCache(), ttlMs: 60_000, onResult: (result) => results.push(result) });
    let release!: () => void;
    const leaderAnswer = streamed();
    const leader = sharing.share(read, () => new Promise<UpstreamAnswer>((resolve) => (release = () => resolve(leaderAnswer))));
    // The leader's call starts after its cache lookup.
    await new Promise((resolve) => setImmediate(resolve));
    const own: string[] = [];
    const waiter = sharing.share(read, async () => {
      own.push('waiter');
      return answer('{"from":"waiter"}');
    });
    release();
    expect(await leader).toBe(leaderAnswer);
    const waiterAnswer = await waiter;
    expect(own).toEqual(['waiter']);
    expect(results.slice(0, 3)).toEqual(['fetched', 'coalesced', 'fetched']);
    expect(isStreamed(waiterAnswer) ? undefined : waiterAnswer.body.toString()).toBe('{"from":"waiter"}');
    const later = await sharing.share(read, async () => answer('{"from":"later"}'));
    expect(isStreamed(later) ? undefined : later.body.toString()).toBe('{"from":"later"}');
    expect(results[3]).toBe('fetched');
  });
});
