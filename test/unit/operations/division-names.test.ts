import { DivisionNames } from '../../../src/operations/division-names.js';
import type { GenesysClient, UpstreamRequest } from '../../../src/genesys/upstream-client.js';

function fakeClient(answer: (request: UpstreamRequest) => Promise<{ status: number; body: unknown }>) {
  const asked: string[] = [];
  const client = {
    send: async (request: UpstreamRequest) => {
      asked.push(request.pathAndQuery);
      const { status, body } = await answer(request);
      return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)), calls: 1 };
    },
  } as unknown as GenesysClient;
  return { client, asked };
}

describe('DivisionNames', () => {
  it('loads the names once per max age, page by page', async () => {
    const clock = { now: 0 };
    const { client, asked } = fakeClient(async (request) => ({
      status: 200,
      body: request.pathAndQuery.includes('pageNumber=1') ? { entities: [{ id: 'd1', name: 'North' }], pageCount: 2 } : { entities: [{ id: 'd2', name: 'South' }], pageCount: 2 },
    }));
    const names = new DivisionNames({ client, maxAgeMs: 1000, now: () => clock.now });
    expect([...(await names.current())]).toEqual([['d1', 'North'], ['d2', 'South']]);
    await names.current();
    expect(asked).toHaveLength(2);
    clock.now = 1000;
    await names.current();
    expect(asked).toHaveLength(4);
  });

  it('answers without names, and without waiting long, when Genesys is slow or failing', async () => {
    const { client } = fakeClient(() => new Promise((resolve) => setTimeout(() => resolve({ status: 503, body: {} }), 300)));
    const names = new DivisionNames({ client, waitMs: 20 });
    const started = Date.now();
    expect((await names.current()).size).toBe(0);
    expect(Date.now() - started).toBeLessThan(250);
  });
});
