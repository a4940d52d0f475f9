import request from 'supertest';
import { startHarness, type Harness } from '../support/harness.js';
import { TestClock } from '../support/clock.js';
import { keys } from '../support/tenants.js';

describe('the proxy’s Genesys token', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('makes exactly one token request for 100 concurrent cold requests', async () => {
    h = await startHarness();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(h.sim.requestLog.tokenRequests()).toBe(1);
  });

  it('replaces a revoked token transparently, with one retry', async () => {
    h = await startHarness();
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    h.sim.tokens.revokeAll();
    h.sim.requestLog.clear();
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    expect(h.sim.requestLog.tokenRequests()).toBe(1);
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/routing/queues' })).toBe(2);
  });

  it('replaces a revoked token on the wrap-up codes route too', async () => {
    h = await startHarness();
    const { queueId } = await import('../../src/simulator/seed-ids.js');
    await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`).set('X-API-Key', keys.acme).expect(200);
    h.sim.tokens.revokeAll();
    await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`).set('X-API-Key', keys.acme).expect(200);
  });

  it('answers 503 while the token endpoint is down and recovers by itself', async () => {
    const clock = new TestClock();
    h = await startHarness({ clock });
    h.sim.faults.add({ kind: 'tokenDown' });
    const down = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(503);
    expect(down.body).toMatchObject({ code: 'genesys.token.unavailable', status: 503 });
    expect(down.headers['retry-after']).toBeDefined();
    h.sim.faults.clear();
    clock.advance(600); // past the first back-off step
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
  });

  it('answers 503, never 401, when Genesys refuses the proxy’s client credentials', async () => {
    h = await startHarness();
    h.sim.faults.add({ kind: 'tokenRefuse' });
    const res = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(503);
    expect(JSON.stringify(res.body)).not.toContain('sim-client-secret');
  });
});
