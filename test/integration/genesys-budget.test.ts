import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const observations = (queueIds: string[]) => ({
  filter: { type: 'or', predicates: queueIds.map((id) => ({ dimension: 'queueId', value: id })) },
  metrics: ['oWaiting'],
});

async function genesysCalls(h: Harness, reason: string, tenant = ''): Promise<number> {
  const { values } = await h.gateway.metrics.genesysCalls.get();
  return values.filter((v) => v.labels['reason'] === reason && (tenant === '' || v.labels['tenant'] === tenant)).reduce((sum, v) => sum + v.value, 0);
}

describe('case 5: the Genesys budget counts calls to Genesys', () => {
  describe('a tenant whose requests fan out', () => {
    let h: Harness;
    beforeAll(async () => {
      // 400 queues per division: an observations query over Acme's 800 queues is 8 calls.
      h = await startHarness({ env: { UPSTREAM_REQUESTS_PER_MINUTE: '60' }, simulator: { seed: { queuesPerDivision: 400 } } });
    });
    afterAll(() => h.close());

    it('case 5: is limited by the calls it causes, not by its requests, and the others keep their share', async () => {
      const before = h.sim.requestLog.count({ pathPrefix: '/api/v2/analytics/queues/observations' });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const res = await request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.acme).send({ ...observations([]), filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] } });
        statuses.push(res.status);
      }
      const calls = h.sim.requestLog.count({ pathPrefix: '/api/v2/analytics/queues/observations' }) - before;
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(10);
      expect(calls).toBeLessThanOrEqual(60);
      expect(await genesysCalls(h, 'tenant', 'acme')).toBeLessThanOrEqual(60);
      expect(await genesysCalls(h, 'directory')).toBeGreaterThan(0);
      // Globex, within its share, is still served.
      await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).expect(200);
    });
  });

  describe('reads served from the read cache', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ env: { UPSTREAM_REQUESTS_PER_MINUTE: '60', READ_CACHE_TTL_MS: '60000' } });
    });
    afterAll(() => h.close());

    it('case 5: 200 identical reads cost one call and are not refused under a 60/min budget', async () => {
      const body = observations([]);
      body.filter = { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] };
      const path = '/api/v2/analytics/queues/observations';
      const before = h.sim.requestLog.count({ pathPrefix: path });
      const statuses = new Map<number, number>();
      for (let i = 0; i < 200; i += 1) {
        const res = await request(h.url).post(`${path}/query`).set('X-API-Key', keys.acme).set('inin-correlation-id', `cached-${i}-${randomUUID().slice(0, 6)}`).send(body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 200 });
      expect(h.sim.requestLog.count({ pathPrefix: path }) - before).toBe(1);
      expect(await genesysCalls(h, 'tenant', 'acme')).toBe(1);
    });
  });
});
