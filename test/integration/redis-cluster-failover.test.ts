import request from 'supertest';
import { queueId } from '../../src/simulator/seed-ids.js';
import { alternate, COUNTED_ONCE, countedKeys, redisUpGauge, startTwoReplicas, steadyTraffic, type TwoReplicas } from '../support/failover.js';
import type { Harness, Replica } from '../support/harness.js';
import { TestRedisCluster } from '../support/redis-cluster.js';
import { keys } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

/**
 * Two proxy replicas sharing state through a three-primary Redis Cluster (one replica each), through
 * a real failover: the primary serving the rate limits is killed by its pid and its replica takes over.
 */
describe('Redis Cluster, through a failover', () => {
  let cluster: TestRedisCluster;
  let replicas: TwoReplicas;
  let h: Harness;
  let b: Replica;

  beforeAll(async () => {
    cluster = await TestRedisCluster.start();
    replicas = await startTwoReplicas({
      REDIS_CLUSTER_NODES: cluster.nodeAddresses,
      READ_CACHE_TTL_MS: '5000',
    });
    ({ h, b } = replicas);
  }, 30_000);

  afterAll(async () => {
    await replicas?.close();
    await cluster?.stop();
  });

  it('refuses no command with CROSSSLOT: rate limits, token and its lock, directory snapshots, job bindings, cached reads', async () => {
    const { urls } = replicas;
    expect(await alternate(urls, keys.acme, 6)).toEqual(Array(6).fill(200));
    h.sim.tokens.revokeAll();
    expect(await alternate(urls, keys.acme, 2)).toEqual([200, 200]);
    const members = await Promise.all(urls.map((url) => request(url).get(`/api/v2/routing/queues/${queueId(1, 1)}/members`).set('X-API-Key', keys.acme)));
    expect(members.map((r) => r.status)).toEqual([200, 200]);
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/routing/queues/divisionviews/all' })).toBe(1);
    const job = await request(h.url).post('/api/v2/analytics/conversations/details/jobs').set('X-API-Key', keys.acme).send({ interval: '2026-11-01T00:00:00Z/2026-11-21T00:00:00Z' }).expect(202);
    await request(b.url).get(`/api/v2/analytics/conversations/details/jobs/${job.body.jobId}`).set('X-API-Key', keys.acme).expect(200);
    const queueReads = () => h.sim.requestLog.count({ pathPrefix: '/api/v2/routing/queues' });
    const readsBefore = queueReads();
    for (const url of urls) await request(url).get('/api/v2/routing/queues?pageSize=25').set('X-API-Key', keys.acme).expect(200);
    expect(queueReads() - readsBefore).toBe(1);
    const counted = await alternate(urls, countedKeys[0], 8);

    expect(await cluster.errorCount('CROSSSLOT')).toBe(0);
    expect(counted).toEqual(COUNTED_ONCE);
    expect(h.sim.requestLog.tokenRequests()).toBe(2);
  });

  it('keeps answering while the primary of the rate limits is down, reports it, and shares state again after its replica takes over', async () => {
    const { urls } = replicas;
    const traffic = steadyTraffic(urls);
    const killed = await cluster.killPrimaryOf(h.gateway.redis!.keys.inGroup('rate-limits', 'upstream'));
    await eventually(() => expect(replicas.redisUp()).toEqual([false, false]), { timeoutMs: 3_000 });
    const degraded = await request(h.url).get('/readyz').expect(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', checks: { redis: expect.stringContaining('unreachable') } });
    expect(await redisUpGauge(b.gateway)).toBe(0);

    await cluster.waitForPromotion(h.gateway.redis!.keys.inGroup('rate-limits', 'upstream'), killed);
    await eventually(() => expect(replicas.redisUp()).toEqual([true, true]), { timeoutMs: 10_000 });
    const statuses = await traffic.stop();
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect((await request(b.url).get('/readyz').expect(200)).body.status).toBe('ready');
    expect(await redisUpGauge(h.gateway)).toBe(1);

    const logins = h.sim.requestLog.tokenRequests();
    h.sim.tokens.revokeAll();
    expect(await alternate(urls, keys.acme, 2)).toEqual([200, 200]);
    expect(h.sim.requestLog.tokenRequests() - logins).toBe(1);
    const counted = await alternate(urls, countedKeys[1], 8);
    expect(await cluster.errorCount('CROSSSLOT')).toBe(0);
    expect(counted).toEqual(COUNTED_ONCE);
  }, 30_000);
});
