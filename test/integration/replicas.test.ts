import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import { startHarness, startReplica, type Harness, type Replica } from '../support/harness.js';
import { TestRedisServer, testRedisUrl } from '../support/redis-server.js';
import { divisionsOf, keys, tenantYaml } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

const SHARED_REDIS = testRedisUrl();
const uniquePrefix = () => `gdp-test:${randomUUID()}:`;

describe('replicas sharing Redis', () => {
  let h: Harness;
  let b: Replica;
  afterEach(async () => {
    await b?.close();
    await h?.close();
  });

  async function twoReplicas(env: Record<string, string>, tenants?: ReturnType<typeof buildRegistry>) {
    h = await startHarness({ env, ...(tenants ? { tenants } : {}) });
    b = await startReplica(h, env, tenants);
  }

  it('make one token request for 200 concurrent requests across two instances', async () => {
    await twoReplicas({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: uniquePrefix() });
    await eventually(() => expect(h.gateway.redis?.isUp && b.gateway.redis?.isUp).toBe(true));
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request(i % 2 ? h.url : b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', i % 3 ? keys.acme : keys.globex)),
    );
    expect(responses.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
    expect(h.sim.requestLog.tokenRequests()).toBe(1);
  });

  it('load the org’s queue directory once for both instances', async () => {
    await twoReplicas({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: uniquePrefix() });
    await eventually(() => expect(h.gateway.redis?.isUp && b.gateway.redis?.isUp).toBe(true));
    const { queueId } = await import('../../src/simulator/seed-ids.js');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(i % 2 ? h.url : b.url).get(`/api/v2/routing/queues/${queueId(1, 1 + (i % 5))}/members`).set('X-API-Key', keys.acme)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/routing/queues/divisionviews/all' })).toBe(1);
  });

  it('let a tenant poll on one instance the analytics job it created on the other', async () => {
    await twoReplicas({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: uniquePrefix() });
    await eventually(() => expect(h.gateway.redis?.isUp && b.gateway.redis?.isUp).toBe(true));
    const created = await request(h.url)
      .post('/api/v2/analytics/conversations/details/jobs')
      .set('X-API-Key', keys.acme)
      .send({ interval: '2026-11-01T00:00:00Z/2026-11-21T00:00:00Z' })
      .expect(202);
    const jobId = created.body.jobId as string;
    await request(b.url).get(`/api/v2/analytics/conversations/details/jobs/${jobId}`).set('X-API-Key', keys.acme).expect(200);
    await request(b.url).get(`/api/v2/analytics/conversations/details/jobs/${jobId}`).set('X-API-Key', keys.globex).expect(404);
  });

  it('count a tenant’s limit on both instances combined', async () => {
    const tenants = buildRegistry([
      { file: 'acme.yaml', text: `${tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }])}rateLimit: { requestsPerMinute: 6 }\n` },
      { file: 'globex.yaml', text: tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]) },
    ]);
    await twoReplicas({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: uniquePrefix() }, tenants);
    await eventually(() => expect(h.gateway.redis?.isUp && b.gateway.redis?.isUp).toBe(true));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await request(i % 2 ? h.url : b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ code: 'too.many.requests', status: 429 });
    await request(b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.globex).expect(200);
  });

  it('keep a quiet tenant served while a noisy one uses up what it may of the Genesys budget', async () => {
    await twoReplicas({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: uniquePrefix(), UPSTREAM_REQUESTS_PER_MINUTE: '40', DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000' });
    await eventually(() => expect(h.gateway.redis?.isUp && b.gateway.redis?.isUp).toBe(true));
    // Sixty different reads (identical ones would share a call, and cost the budget nothing).
    const noisy = await Promise.all(Array.from({ length: 60 }, (_, i) => request(i % 2 ? h.url : b.url).get(`/api/v2/routing/queues?pageSize=1&pageNumber=${i + 1}`).set('X-API-Key', keys.acme)));
    const noisyServed = noisy.filter((r) => r.status === 200).length;
    // The budget of 40 calls less the reserve of 10 and the proxy's own directory loads (a few
    // calls); the bucket refills one call every 1.5 s meanwhile.
    expect(noisyServed).toBeGreaterThanOrEqual(20);
    expect(noisyServed).toBeLessThanOrEqual(32);
    expect(noisy.filter((r) => r.status === 429).length).toBe(60 - noisyServed);
    for (let i = 0; i < 5; i++) await request(i % 2 ? h.url : b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.globex).expect(200);
  });
});

describe('Redis going away', () => {
  let redis: TestRedisServer;
  let h: Harness;
  beforeAll(async () => {
    redis = await TestRedisServer.start();
    h = await startHarness({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix(), REDIS_COMMAND_TIMEOUT_MS: '100' } });
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(true));
  });
  afterAll(async () => {
    await h.close();
    await redis.stop();
  });

  it('keeps the proxy answering, reports the degradation, and resumes when Redis is back', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    await redis.stop();
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(false));
    for (let i = 0; i < 5; i++) await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    const ready = await request(h.url).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { redis: expect.stringContaining('unreachable') } });
    expect(await h.gateway.metrics.registry.getSingleMetricAsString('gdp_redis_up')).toMatch(/gdp_redis_up 0/);
    expect(h.logLines.some((line) => line.includes('redis unreachable'))).toBe(true);

    await redis.restart();
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(true), { timeoutMs: 10_000 });
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    expect((await request(h.url).get('/readyz').expect(200)).body.status).toBe('ready');
  });

  it('still limits a tenant while Redis is down (per-replica, never unlimited)', async () => {
    await redis.stop();
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(false));
    const tenants = buildRegistry([
      { file: 'limited.yaml', text: `${tenantYaml('limited', divisionsOf.acme, [{ id: 'limited-1', key: keys.acme }])}rateLimit: { requestsPerMinute: 3 }\n` },
    ]);
    h.gateway.tenants.replace(tenants);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    await redis.restart();
  });
});
