import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { createLogger } from '../../src/logging/logger.js';
import { MemoryAuditStore } from '../../src/state/audit/memory-audit-store.js';
import { RedisAuditStore } from '../../src/state/audit/redis-audit-store.js';
import { RedisConnection } from '../../src/state/redis/redis-connection.js';
import { compareEntryIds } from '../../src/tenant-audit/audit-store.js';
import { freePort } from '../support/ports.js';
import { startHarness, startReplica, type Harness, type Replica } from '../support/harness.js';
import { expectNoLeak, type TestTenant } from '../support/leaks.js';
import { rawRequest } from '../support/raw-http.js';
import { keys } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

const AUDIT = '/proxy/v1/audit';

interface AuditPage {
  entities: { id: string; time: string; method: string; route: string; status: number; entitiesReturned?: number; genesysCalls: number; correlationId: string }[];
  pageSize: number;
  cursor?: string;
}

const audit = (h: { url: string }, key: string, query = '') => request(h.url).get(`${AUDIT}${query}`).set('X-API-Key', key);
const page = async (h: { url: string }, key: string, query = '') => (await audit(h, key, query).expect(200)).body as AuditPage;
const correlationIds = (p: AuditPage) => p.entities.map((e) => e.correlationId);

/** Requests of both tenants that touch their own and each other's ids, so the view has something to hide. */
async function traffic(url: string, tag: string): Promise<void> {
  const as = (key: string, path: string, id: string, method: 'get' | 'post' = 'get') =>
    (method === 'get' ? request(url).get(path) : request(url).post(path).send({ interval: '2026-11-01T00:00:00Z/2026-11-02T00:00:00Z' })).set('X-API-Key', key).set('inin-correlation-id', `${tag}-${id}`);
  await as(keys.acme, '/api/v2/routing/queues?pageSize=5', 'acme-list');
  await as(keys.acme, `/api/v2/routing/queues/${queueId(1, 1)}/members`, 'acme-members');
  await as(keys.acme, `/api/v2/routing/queues/${queueId(3, 1)}`, 'acme-foreign-queue');
  await as(keys.acme, `/api/v2/users/${userId(4, 1)}`, 'acme-foreign-user');
  await as(keys.acme, `/api/v2/analytics/conversations/${conversationId(3, 1)}/details`, 'acme-foreign-conversation');
  await as(keys.acme, `/api/v2/authorization/divisions/${divisionId(3)}`, 'acme-foreign-division');
  await as(keys.acme, '/api/v2/analytics/conversations/details/query', 'acme-details', 'post');
  await as(keys.globex, '/api/v2/routing/queues?pageSize=5', 'globex-list');
  await as(keys.globex, `/api/v2/routing/queues/${queueId(3, 1)}/members`, 'globex-members');
  await as(keys.globex, `/api/v2/routing/queues/${queueId(1, 1)}`, 'globex-foreign-queue');
}

describe('the tenant audit view, GET /proxy/v1/audit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await traffic(h.url, 'view');
  });
  afterAll(() => h.close());

  it('gives a tenant its own recent requests, newest first, with the allowlisted fields only', async () => {
    const acme = await page(h, keys.acme, '?pageSize=100');
    const ids = correlationIds(acme);
    expect(ids.filter((id) => id.startsWith('view-'))).toEqual([
      'view-acme-details',
      'view-acme-foreign-division',
      'view-acme-foreign-conversation',
      'view-acme-foreign-user',
      'view-acme-foreign-queue',
      'view-acme-members',
      'view-acme-list',
    ]);
    const members = acme.entities.find((e) => e.correlationId === 'view-acme-members')!;
    expect(members).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      method: 'GET',
      route: '/api/v2/routing/queues/{queueId}/members',
      status: 200,
      entitiesReturned: expect.any(Number),
      genesysCalls: 1,
      correlationId: 'view-acme-members',
    });
    expect(acme.entities.find((e) => e.correlationId === 'view-acme-foreign-queue')).toMatchObject({ status: 404, route: '/api/v2/routing/queues/{queueId}' });
    const globex = correlationIds(await page(h, keys.globex, '?pageSize=100'));
    expect(globex.filter((id) => id.startsWith('view-'))).toEqual(['view-globex-foreign-queue', 'view-globex-members', 'view-globex-list']);
  });

  it('never shows a tenant an id outside its divisions, nor another tenant’s entries', async () => {
    for (const [tenant, key] of [['acme', keys.acme], ['globex', keys.globex]] as const) {
      const res = await rawRequest(h.url, `${AUDIT}?pageSize=100`, { headers: { 'x-api-key': key } });
      expect(res.status).toBe(200);
      const raw = `${JSON.stringify(res.headers)}\n${res.text}`;
      expectNoLeak(tenant as TestTenant, raw, `GET ${AUDIT} as ${tenant}`, h.sim.org);
      const other = tenant === 'acme' ? 'globex' : 'acme';
      expect(res.text).not.toContain(`view-${other}-`);
      for (const secret of Object.values(keys)) expect(raw).not.toContain(secret);
      expect(res.text).not.toMatch(/keyId|acme-1|globex-1|"path"/);
    }
  });

  it('shows nothing that changes when everything outside the tenant’s divisions is removed', async () => {
    // Globex's first queue has a member of division 4, which the proxy withholds from Globex.
    const entryFor = async (tag: string) => {
      await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}/members`).set('X-API-Key', keys.globex).set('inin-correlation-id', tag).expect(200);
      await request(h.url).get(`/api/v2/routing/queues/${queueId(4, 1)}/members`).set('X-API-Key', keys.globex).set('inin-correlation-id', `${tag}-foreign`).expect(404);
      const { entities } = await page(h, keys.globex, '?pageSize=5');
      return entities.filter((e) => e.correlationId.startsWith(tag)).map(({ id: _id, time: _time, correlationId: _c, ...rest }) => rest);
    };
    const withForeign = await entryFor('invariant-with');
    const members = h.sim.org.queueMembers.get(queueId(3, 1))!;
    const foreign = members.filter((member) => !member.startsWith('b0000003'));
    expect(foreign.length).toBeGreaterThan(0);
    h.sim.org.queueMembers.set(queueId(3, 1), members.filter((member) => member.startsWith('b0000003')));
    try {
      expect(await entryFor('invariant-without')).toEqual(withForeign);
    } finally {
      h.sim.org.queueMembers.set(queueId(3, 1), members);
    }
  });

  it('pages with a cursor and filters by time', async () => {
    const first = await page(h, keys.acme, '?pageSize=3');
    expect(first.entities).toHaveLength(3);
    expect(first.cursor).toBe(first.entities[2]!.id);
    const second = await page(h, keys.acme, `?pageSize=3&cursor=${first.cursor}`);
    expect(second.entities).toHaveLength(3);
    expect(correlationIds(second).some((id) => correlationIds(first).includes(id))).toBe(false);
    // Each audit read is itself audited: compare with the entries up to the first page's newest.
    const all = (await page(h, keys.acme, '?pageSize=100')).entities.filter((e) => compareEntryIds(e.id, first.entities[0]!.id) <= 0);
    expect([...first.entities, ...second.entities]).toEqual(all.slice(0, 6));
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await page(h, keys.acme, `?since=${future}`)).entities).toEqual([]);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await page(h, keys.acme, `?until=${past}`)).entities).toEqual([]);
    expect((await page(h, keys.acme, `?since=${past}&pageSize=100`)).entities.length).toBeGreaterThanOrEqual(7);
  });

  it('is authenticated like every tenant call and refuses what it does not understand', async () => {
    await request(h.url).get(AUDIT).expect(401);
    await request(h.url).get(AUDIT).set('X-API-Key', 'gdp_no_such_key_0000000000000000000').expect(401);
    await request(h.url).get(AUDIT).set('X-API-Key', keys.expired).expect(401);
    await request(h.url).delete(AUDIT).set('X-API-Key', keys.acme).expect(403);
    for (const query of ['?tenant=globex', '?pageSize=0', '?pageSize=101', '?since=yesterday', '?cursor=abc', '?pageSize=1&pageSize=2']) {
      const res = await audit(h, keys.acme, query).expect(400);
      expect(res.body).toMatchObject({ code: 'query.invalid', status: 400 });
    }
  });
});

describe('the tenant audit view with Redis down', () => {
  it('answers from the replica’s own entries', async () => {
    const down = new RedisConnection({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'gdp-test-down:', commandTimeoutMs: 50, logger: createLogger('silent') });
    try {
      const store = new RedisAuditStore(down, new MemoryAuditStore());
      await store.append('acme', { at: Date.now(), method: 'GET', route: '/api/v2/users', status: 200, entitiesReturned: 2, genesysCalls: 1, correlationId: 'while-redis-down' });
      expect((await store.page('acme', { limit: 10 })).map((e) => e.correlationId)).toEqual(['while-redis-down']);
      expect(await store.page('globex', { limit: 10 })).toEqual([]);
    } finally {
      await down.close();
    }
  });
});

describe('the tenant audit view with Redis', () => {
  let h: Harness;
  let b: Replica;
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('shows a tenant the requests it made through every replica', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `gdp-test:${randomUUID()}:` };
    h = await startHarness({ env });
    b = await startReplica(h, env);
    await eventually(() => expect(h.gateway.redis?.isUp && b.gateway.redis?.isUp).toBe(true));
    await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).set('inin-correlation-id', 'replica-a-request').expect(200);
    await request(b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).set('inin-correlation-id', 'replica-b-request').expect(200);
    await request(b.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.globex).set('inin-correlation-id', 'replica-b-globex').expect(200);
    for (const replica of [h, b]) {
      await eventually(async () => {
        const ids = correlationIds(await page(replica, keys.acme));
        expect(ids).toEqual(expect.arrayContaining(['replica-a-request', 'replica-b-request']));
        expect(ids).not.toContain('replica-b-globex');
      });
    }
    const first = await page(b, keys.acme, '?pageSize=1');
    const next = await page(b, keys.acme, `?pageSize=1&cursor=${first.cursor}`);
    expect(compareEntryIds(next.entities[0]!.id, first.entities[0]!.id)).toBeLessThan(0);
  });
});
