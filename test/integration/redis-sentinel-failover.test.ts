import request from 'supertest';
import { alternate, COUNTED_ONCE, countedKeys, redisUpGauge, startTwoReplicas, steadyTraffic, type TwoReplicas } from '../support/failover.js';
import type { Harness, Replica } from '../support/harness.js';
import { TestSentinelGroup } from '../support/redis-sentinel.js';
import { keys } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

/**
 * Two proxy replicas sharing state through a Sentinel-managed primary (with passwords on the data
 * nodes and on the Sentinels), through a real failover: the primary is killed by its pid and the
 * Sentinels promote the replica.
 */
describe('Redis behind Sentinel, through a failover', () => {
  let group: TestSentinelGroup;
  let replicas: TwoReplicas;
  let h: Harness;
  let b: Replica;
  /** An analytics job whose binding was written while the replica no longer replicated. */
  let lostJobId: string;

  beforeAll(async () => {
    group = await TestSentinelGroup.start({ password: 'data-node-secret', sentinelPassword: 'sentinel-secret' });
    replicas = await startTwoReplicas({
      REDIS_SENTINELS: group.sentinelAddresses,
      REDIS_SENTINEL_NAME: group.masterName,
      REDIS_PASSWORD: 'data-node-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    });
    ({ h, b } = replicas);
  }, 30_000);

  afterAll(async () => {
    await replicas?.close();
    await group?.stop();
  });

  it('keeps answering while the primary is down, reports it, and shares one login and one limit after the promotion', async () => {
    const { urls } = replicas;
    expect(await alternate(urls, keys.acme, 6)).toEqual(Array(6).fill(200));
    expect(h.sim.requestLog.tokenRequests()).toBe(1);

    // A write the replica never sees: it is lost when the replica is promoted.
    await group.cutReplication();
    const created = await request(h.url).post('/api/v2/analytics/conversations/details/jobs').set('X-API-Key', keys.acme).send({ interval: '2026-11-01T00:00:00Z/2026-11-21T00:00:00Z' }).expect(202);
    lostJobId = created.body.jobId as string;
    expect(await group.primary.command('EXISTS', h.gateway.redis!.keys.single(`job:${lostJobId}`))).toBe(1);
    expect(await group.replica.command('EXISTS', h.gateway.redis!.keys.single(`job:${lostJobId}`))).toBe(0);

    const traffic = steadyTraffic(urls);
    await group.killPrimary();
    await eventually(() => expect(replicas.redisUp()).toEqual([false, false]), { timeoutMs: 3_000 });
    const degraded = await request(h.url).get('/readyz').expect(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', checks: { redis: expect.stringContaining('unreachable') } });
    expect(await redisUpGauge(h.gateway)).toBe(0);

    await group.waitForPromotion();
    await eventually(() => expect(replicas.redisUp()).toEqual([true, true]), { timeoutMs: 10_000 });
    const statuses = await traffic.stop();
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect((await request(h.url).get('/readyz').expect(200)).body.status).toBe('ready');
    expect(await redisUpGauge(h.gateway)).toBe(1);
    expect(await redisUpGauge(b.gateway)).toBe(1);

    // One login for both replicas again: the second finds the first one's token in the new primary.
    const logins = h.sim.requestLog.tokenRequests();
    h.sim.tokens.revokeAll();
    await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).expect(200);
    await request(b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).expect(200);
    expect(h.sim.requestLog.tokenRequests() - logins).toBe(1);

    // One limit for both replicas again: 6 a minute in all, not 6 on each.
    expect(await alternate(urls, countedKeys[0], 8)).toEqual(COUNTED_ONCE);
  }, 30_000);

  it('answers 404 to every tenant for a job whose binding the failover lost, and the creating replica still knows it', async () => {
    const poll = (url: string, key: string) => request(url).get(`/api/v2/analytics/conversations/details/jobs/${lostJobId}`).set('X-API-Key', key);
    expect(await group.primary.command('EXISTS', h.gateway.redis!.keys.single(`job:${lostJobId}`))).toBe(0);
    const other = await poll(b.url, keys.acme).expect(404);
    expect(other.body).toMatchObject({ status: 404 });
    await poll(b.url, keys.globex).expect(404);
    await poll(h.url, keys.globex).expect(404);
    await poll(h.url, keys.acme).expect(200);
  });
});
