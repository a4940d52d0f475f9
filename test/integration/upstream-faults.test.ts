import request from 'supertest';
import { queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

describe('upstream faults on scoped routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  const get = (path = '/api/v2/routing/queues') => request(h.url).get(path).set('X-API-Key', keys.acme);

  it('turns a Genesys 500 into a Genesys-shaped 502 that says nothing of the upstream', async () => {
    h.sim.faults.add({ kind: 'status', status: 500 });
    const res = await get().expect(502);
    expect(res.body).toMatchObject({ code: 'upstream.error', status: 502 });
    expect(res.text).not.toContain(h.simulator.url);
  });

  it('never passes malformed JSON through', async () => {
    h.sim.faults.add({ kind: 'malformedJson' });
    const res = await get().expect(502);
    expect(res.body).toMatchObject({ code: 'upstream.bad.response' });
  });

  it('never passes a body that is not JSON through', async () => {
    h.sim.faults.add({ kind: 'wrongContentType' });
    const res = await get().expect(502);
    expect(res.text).not.toContain('<html');
  });

  it('decodes a gzip body it did not ask for and still scopes it', async () => {
    h.sim.faults.add({ kind: 'gzip' });
    const res = await get('/api/v2/routing/queues?pageSize=100').expect(200);
    expect(res.body.entities.length).toBeGreaterThan(0);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('answers 504 when Genesys is too slow', async () => {
    h.sim.faults.add({ kind: 'delay', ms: 4000 });
    const res = await get().expect(504);
    expect(res.body).toMatchObject({ code: 'upstream.timeout' });
  });

  it('answers 502 when the connection is reset mid-body, and keeps serving', async () => {
    h.sim.faults.add({ kind: 'reset', times: 1 });
    await get().expect(502);
    await get().expect(200);
  });

  it('relays a Genesys 429 with its Retry-After', async () => {
    h.sim.faults.add({ kind: 'rateLimit', retryAfterSeconds: 7 });
    const res = await get().expect(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toMatchObject({ code: 'upstream.rate.limited' });
  });

  it('answers 502 on the wrap-up codes route when Genesys fails', async () => {
    h.sim.faults.add({ kind: 'status', status: 503 });
    await get(`/api/v2/routing/queues/${queueId(1, 1)}/members`).expect(502);
    h.sim.faults.clear();
    // The membership check is cached now; the wrap-up codes call itself fails.
    h.sim.faults.add({ kind: 'status', status: 500, pathPrefix: `/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes` });
    const res = await get(`/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`).expect(502);
    expect(res.body).toMatchObject({ code: 'upstream.error' });
  });
});

describe('Genesys 429s', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  it('retries a read once when Genesys asks for a short wait', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    h.sim.requestLog.clear();
    h.sim.faults.add({ kind: 'rateLimit', retryAfterSeconds: 1, times: 1, pathPrefix: '/api/v2/routing/queues' });
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/routing/queues' })).toBe(2);
  });

  it('never retries a write', async () => {
    h.sim.requestLog.clear();
    h.sim.faults.add({ kind: 'rateLimit', retryAfterSeconds: 1, times: 1, method: 'DELETE' });
    const { queueId } = await import('../../src/simulator/seed-ids.js');
    const res = await request(h.url).delete(`/api/v2/routing/queues/${queueId(3, 30)}`).set('X-API-Key', keys.globex).expect(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(h.sim.requestLog.count({ method: 'DELETE' })).toBe(1);
  });
});
