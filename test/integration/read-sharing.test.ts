import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, startReplica, type Harness, type Replica } from '../support/harness.js';
import { keys } from '../support/tenants.js';
import { TestClock } from '../support/clock.js';
import { eventually } from '../support/wait.js';

const observations = (queueIds: string[]) => ({
  filter: { type: 'or', predicates: queueIds.map((id) => ({ dimension: 'queueId', value: id })) },
  metrics: ['oWaiting', 'oInteracting'],
});

/** Reads that joined a call already in flight, as the metrics count them. */
async function coalesced(h: Harness): Promise<number> {
  const { values } = await h.gateway.metrics.cacheLookups.get();
  return values.find((v) => v.labels['cache'] === 'genesys-reads' && v.labels['result'] === 'coalesced')?.value ?? 0;
}

describe('identical reads in flight', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  it('share one upstream call between two tenants, each scoped for itself', async () => {
    const shared = queueId(1, 3);
    h.sim.faults.add({ kind: 'delay', ms: 300, pathPrefix: `/api/v2/routing/queues/${shared}` });
    h.sim.requestLog.clear();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => request(h.url).get(`/api/v2/routing/queues/${shared}`).set('X-API-Key', i % 2 ? keys.globex : keys.acme)),
    );
    expect(h.sim.requestLog.count({ pathPrefix: `/api/v2/routing/queues/${shared}` })).toBe(1);
    responses.forEach((res, i) => {
      if (i % 2) {
        expect(res.status).toBe(404);
        expect(res.text).not.toContain(shared);
      } else {
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(shared);
      }
    });
  });

  it('share one observations query between concurrent identical polls', async () => {
    const body = observations([queueId(1, 1), queueId(2, 1)]);
    await request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.acme).send(body).expect(200);
    h.sim.faults.add({ kind: 'delay', ms: 300, pathPrefix: '/api/v2/analytics/queues/observations' });
    h.sim.requestLog.clear();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.acme).send(body)),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/analytics/queues/observations' })).toBe(1);
    for (const res of responses) expect(res.body).toEqual(responses[0]!.body);
  });

  // A shared answer is parsed once and frozen: a scoper that wrote into it would fail the request.
  const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
  // Every row has a body slot (null for GETs): jest passes `done` to a test with more parameters than values.
  const scopedReads: [string, string, unknown][] = [
    ['GET', '/api/v2/routing/queues?pageSize=100', null],
    ['GET', '/api/v2/routing/queues/divisionviews?pageSize=50', null],
    ['GET', '/api/v2/routing/queues/divisionviews/all?pageSize=100', null],
    ['GET', `/api/v2/routing/queues/${queueId(1, 2)}`, null],
    ['GET', `/api/v2/routing/queues/${queueId(1, 1)}/members?pageSize=100`, null],
    ['GET', `/api/v2/routing/queues/${queueId(1, 1)}/users`, null],
    ['GET', '/api/v2/users?pageSize=25', null],
    ['GET', `/api/v2/users/${userId(1, 1)}`, null],
    ['GET', '/api/v2/authorization/divisions', null],
    ['GET', `/api/v2/authorization/divisions/${divisionId(1)}`, null],
    ['GET', `/api/v2/analytics/conversations/${conversationId(1, 1)}/details`, null],
    ['POST', '/api/v2/analytics/queues/observations/query', { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting'] }],
    ['POST', '/api/v2/analytics/conversations/aggregates/query', { interval, groupBy: ['queueId'], metrics: ['nOffered'] }],
    ['POST', '/api/v2/analytics/conversations/aggregates/query', { interval, groupBy: ['userId'], metrics: ['nOffered'] }],
    ['POST', '/api/v2/analytics/conversations/details/query', { interval, paging: { pageSize: 25, pageNumber: 1 } }],
    ['POST', '/api/v2/analytics/users/observations/query', { filter: { type: 'or', predicates: [{ dimension: 'userId', value: userId(1, 1) }] }, metrics: ['oUserPresences'] }],
    ['POST', '/api/v2/analytics/users/aggregates/query', { interval, groupBy: ['userId'], metrics: ['tAgentRoutingStatus'] }],
  ];

  it.each(scopedReads)('scope one shared answer for every waiter without writing into it: %s %s', async (method, path, body) => {
    const send = () => {
      const req = method === 'GET' ? request(h.url).get(path) : request(h.url).post(path).send(body as object);
      return req.set('X-API-Key', keys.acme);
    };
    const alone = await send();
    expect(alone.status).toBe(200);
    h.sim.faults.add({ kind: 'delay', ms: 150 });
    const before = await coalesced(h);
    const together = await Promise.all([send(), send(), send()]);
    expect(together.map((res) => res.status)).toEqual([200, 200, 200]);
    for (const res of together) expect(res.body).toEqual(alone.body);
    expect((await coalesced(h)) - before).toBeGreaterThanOrEqual(2);
  });

  it('never shares writes', async () => {
    h.sim.faults.add({ kind: 'delay', ms: 200, method: 'POST', pathPrefix: '/api/v2/routing/queues' });
    h.sim.requestLog.clear();
    const body = { name: `Shared write ${randomUUID()}`, division: { id: 'd0000000-0000-4000-8000-000000000003' } };
    const responses = await Promise.all([0, 1].map(() => request(h.url).post('/api/v2/routing/queues').set('X-API-Key', keys.globex).send(body)));
    expect(h.sim.requestLog.count({ method: 'POST', pathPrefix: '/api/v2/routing/queues' })).toBe(2);
    const created = responses.filter((r) => r.status === 200).map((r) => r.body.id as string);
    expect(new Set(created).size).toBe(created.length); // each write got its own answer
    for (const res of responses) expect(res.status).toBeLessThan(500);
  });
});

/** Calls for the queue listing itself (the queue directory's load has a path of its own). */
const queueListingCalls = (h: Harness) => h.sim.requestLog.all().filter((entry) => entry.path === '/api/v2/routing/queues').length;

describe('the read cache (READ_CACHE_TTL_MS)', () => {
  let h: Harness;
  let b: Replica | undefined;
  afterEach(async () => {
    await b?.close();
    b = undefined;
    await h.close();
  });

  it('is off by default: every poll goes upstream', async () => {
    h = await startHarness();
    for (let i = 0; i < 3; i++) await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    expect(queueListingCalls(h)).toBe(3);
  });

  it('answers identical polls within the TTL from the cache, then asks Genesys again', async () => {
    const clock = new TestClock();
    h = await startHarness({ env: { READ_CACHE_TTL_MS: '400' }, clock });
    const first = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    for (let i = 0; i < 5; i++) {
      const again = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
      expect(again.body).toEqual(first.body);
    }
    const globex = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).expect(200);
    expect(globex.body.entities.every((q: { division: { id: string } }) => q.division.id === 'd0000000-0000-4000-8000-000000000003')).toBe(true);
    expect(queueListingCalls(h)).toBe(2); // one per tenant
    clock.advance(500);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    expect(queueListingCalls(h)).toBe(3);
  });

  it('is shared by replicas through Redis', async () => {
    const env = { READ_CACHE_TTL_MS: '5000', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `gdp-test:${randomUUID()}:` };
    h = await startHarness({ env });
    b = await startReplica(h, env);
    await eventually(() => expect(h.gateway.redis?.isUp && b!.gateway.redis?.isUp).toBe(true));
    const body = observations([queueId(1, 2)]);
    for (const url of [h.url, b.url, h.url, b.url]) {
      await request(url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.acme).send(body).expect(200);
    }
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/analytics/queues/observations' })).toBe(1);
  });
});
