import request from 'supertest';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionsOf, keys } from '../support/tenants.js';

type Listing = { entities: { id: string; division: { id: string } }[]; total: number; pageCount: number; nextUri?: string };

async function listAllQueues(h: Harness, key: string, firstPath = '/api/v2/routing/queues?pageSize=25'): Promise<Listing[]> {
  const pages: Listing[] = [];
  let path: string | undefined = firstPath;
  while (path) {
    const res: request.Response = await request(h.url).get(path).set('Authorization', `Bearer ${key}`).expect(200);
    pages.push(res.body as Listing);
    path = (res.body as Listing).nextUri;
    if (pages.length > 50) throw new Error('paging does not end');
  }
  return pages;
}

describe('queue routes, two tenants with disjoint divisions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each([
    ['acme', keys.acme, divisionsOf.acme],
    ['globex', keys.globex, divisionsOf.globex],
  ] as const)('%s lists all and only its own queues over every page', async (_tenant, key, divisions) => {
    const pages = await listAllQueues(h, key);
    const seen = pages.flatMap((page) => page.entities.map((queue) => queue.id)).sort();
    const expected = h.sim.org.queues.filter((queue) => divisions.includes(queue.division.id)).map((queue) => queue.id).sort();
    expect(seen).toEqual(expected);
    expect(pages[0]!.total).toBe(expected.length);
    expect(pages[0]!.pageCount).toBe(Math.ceil(expected.length / 25));
    expect(pages.length).toBe(Math.ceil(expected.length / 25));
  });

  it('pushes the tenant’s divisions upstream as the divisionId filter', async () => {
    h.sim.requestLog.clear();
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    const calls = h.sim.requestLog.all().filter((r) => r.path === '/api/v2/routing/queues');
    expect(calls).toHaveLength(1);
    expect(new URLSearchParams(calls[0]!.query).getAll('divisionId')).toEqual(divisionsOf.acme);
  });

  it('drops a foreign divisionId the tenant asks for, whether repeated or comma-joined', async () => {
    const foreign = divisionsOf.globex[0];
    const own = divisionsOf.acme[1];
    for (const query of [`divisionId=${foreign}&divisionId=${own}`, `divisionId=${foreign},${own}`]) {
      const res = await request(h.url).get(`/api/v2/routing/queues?${query}&pageSize=100`).set('X-API-Key', keys.acme).expect(200);
      const divisions = new Set((res.body as Listing).entities.map((q) => q.division.id));
      expect([...divisions]).toEqual([own]);
    }
  });

  it('answers an empty listing, without calling Genesys, when only foreign divisions are asked for', async () => {
    h.sim.requestLog.clear();
    const res = await request(h.url).get(`/api/v2/routing/queues?divisionId=${divisionsOf.globex[0]}`).set('X-API-Key', keys.acme).expect(200);
    expect(res.body).toMatchObject({ entities: [], total: 0 });
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/' })).toBe(0);
  });

  it('answers 404 for another tenant’s queue, exactly as for a queue that does not exist', async () => {
    const foreign = await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}`).set('X-API-Key', keys.acme).expect(404);
    const missing = await request(h.url).get('/api/v2/routing/queues/ffffffff-ffff-4fff-8fff-ffffffffffff').set('X-API-Key', keys.acme).expect(404);
    const strip = (body: Record<string, unknown>) => ({ ...body, contextId: undefined });
    expect(strip(foreign.body)).toEqual(strip(missing.body));
    expect(Object.keys(foreign.headers).sort()).toEqual(Object.keys(missing.headers).sort());
    expect(foreign.body).toMatchObject({ code: 'not.found', status: 404 });
  });

  it('returns the tenant’s own queue', async () => {
    const res = await request(h.url).get(`/api/v2/routing/queues/${queueId(2, 3)}`).set('X-API-Key', keys.acme).expect(200);
    expect(res.body).toMatchObject({ id: queueId(2, 3), division: { id: divisionId(2) } });
  });

  it('lists members only of the tenant’s queues, without agents of other divisions', async () => {
    const res = await request(h.url).get(`/api/v2/routing/queues/${queueId(2, 1)}/members?pageSize=100`).set('X-API-Key', keys.acme).expect(200);
    const members = res.body.entities as { user: { division: { id: string } } }[];
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) expect(divisionsOf.acme).toContain(member.user.division.id);
    const upstreamMembers = h.sim.org.queueMembers.get(queueId(2, 1)) ?? [];
    expect(upstreamMembers.length).toBeGreaterThan(members.length); // the cross-division member was there
    expect(res.body).not.toHaveProperty('total');
    await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}/members`).set('X-API-Key', keys.acme).expect(404);
  });

  it('lists wrap-up codes of the tenant’s own queue and refuses another tenant’s', async () => {
    const res = await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`).set('X-API-Key', keys.acme).expect(200);
    expect(Array.isArray(res.body.entities)).toBe(true);
    await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}/wrapupcodes`).set('X-API-Key', keys.acme).expect(404);
  });

  it('drops wrap-up codes of divisions outside the tenant’s and counts only what it keeps', async () => {
    // The simulator puts every wrap-up code in the home division, which is no tenant's.
    const upstream = h.sim.org.wrapupCodesOf(queueId(1, 1));
    expect(upstream.length).toBeGreaterThan(0);
    const res = await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`).set('X-API-Key', keys.acme).expect(200);
    expect(res.body.entities).toEqual([]);
    expect(res.body.total).toBe(0);
    for (const code of upstream) expect(JSON.stringify(res.body)).not.toContain(code.id);
    expect(JSON.stringify(res.body)).not.toContain(divisionId(0));
  });

  it('never sends a tenant key upstream and never shows a tenant the Genesys token', async () => {
    const responses: string[] = [];
    for (const path of ['/api/v2/routing/queues', `/api/v2/routing/queues/${queueId(1, 2)}`, `/api/v2/routing/queues/${queueId(1, 1)}/members`, `/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`]) {
      const bearer = await request(h.url).get(path).set('Authorization', `Bearer ${keys.acme}`);
      const header = await request(h.url).get(path).set('X-API-Key', keys.acme).set('Cookie', 'session=abc');
      for (const res of [bearer, header]) responses.push(JSON.stringify(res.headers) + res.text);
    }
    const log = JSON.stringify(h.sim.requestLog.all());
    for (const key of Object.values(keys)) expect(log).not.toContain(key);
    expect(log).not.toContain('session=abc');
    const genesysTokens = new Set(
      h.sim.requestLog.all().map((r) => r.headers['authorization']).filter((v): v is string => typeof v === 'string' && v.startsWith('Bearer ')).map((v) => v.slice(7)),
    );
    expect(genesysTokens.size).toBeGreaterThan(0);
    for (const token of genesysTokens) for (const text of responses) expect(text).not.toContain(token);
  });
});
