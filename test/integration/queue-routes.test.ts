import request from 'supertest';
import { divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { divisionsOf, keys } from '../support/tenants.js';

type Listing = { entities: { id: string; name: string; division?: { id: string }; user?: { id: string } }[]; total?: number; pageCount?: number; nextUri?: string };

async function allPages(h: Harness, key: string, firstPath: string, headers: Record<string, string> = {}): Promise<Listing[]> {
  const pages: Listing[] = [];
  let path: string | undefined = firstPath;
  while (path) {
    const res: request.Response = await request(h.url).get(path).set('X-API-Key', key).set(headers).expect(200);
    pages.push(res.body as Listing);
    path = (res.body as Listing).nextUri;
    if (pages.length > 50) throw new Error('paging does not end');
  }
  return pages;
}

const upstreamCalls = (h: Harness, correlationId: string) => h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === correlationId);

describe('queue listings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const acmeQueues = () => h.sim.org.queues.filter((queue) => (divisionsOf.acme as readonly string[]).includes(queue.division.id));

  it('divisionviews lists all and only the tenant’s queues, never asking Genesys for *', async () => {
    const pages = await allPages(h, keys.acme, '/api/v2/routing/queues/divisionviews?divisionId=*&pageSize=25', { 'inin-correlation-id': 'views-page-1' });
    expect(pages.flatMap((page) => page.entities.map((queue) => queue.id)).sort()).toEqual(acmeQueues().map((queue) => queue.id).sort());
    expect(pages[0]!.total).toBe(acmeQueues().length);
    // A cold start loads the queue directory first, under the same correlation id.
    const [call] = upstreamCalls(h, 'views-page-1').filter((entry) => entry.path !== '/api/v2/routing/queues/divisionviews/all');
    expect(call!.path).toBe('/api/v2/routing/queues/divisionviews');
    expect(new URLSearchParams(call!.query).getAll('divisionId')).toEqual([...divisionsOf.acme]);
  });

  it('divisionviews/all is answered from /routing/queues with the tenant’s divisions, over every page', async () => {
    // /routing/queues caps its pages (100 in the simulator); the envelope says so and paging still ends.
    const big = await allPages(h, keys.acme, '/api/v2/routing/queues/divisionviews/all?pageSize=500', { 'inin-correlation-id': 'views-all-500' });
    expect(big.flatMap((page) => page.entities.map((queue) => queue.id)).sort()).toEqual(acmeQueues().map((queue) => queue.id).sort());
    expect(big[0]).toMatchObject({ total: acmeQueues().length });
    expect(Object.keys(big[0]!.entities[0]!).sort()).toEqual(['division', 'id', 'name', 'selfUri']);
    const calls = upstreamCalls(h, 'views-all-500');
    expect(calls.map((call) => call.path)).toEqual(['/api/v2/routing/queues']);
    expect(new URLSearchParams(calls[0]!.query).getAll('divisionId')).toEqual([...divisionsOf.acme]);

    const pages = await allPages(h, keys.globex, '/api/v2/routing/queues/divisionviews/all?pageSize=7');
    const globexQueues = h.sim.org.queues.filter((queue) => queue.division.id === divisionId(3));
    expect(pages.flatMap((page) => page.entities.map((queue) => queue.id)).sort()).toEqual(globexQueues.map((queue) => queue.id).sort());
    expect(pages[0]).toMatchObject({ total: globexQueues.length, pageCount: Math.ceil(globexQueues.length / 7) });
    expect(pages[0]!.nextUri).toBe('/api/v2/routing/queues/divisionviews/all?pageSize=7&pageNumber=2');
  });

  it.each(['members', 'users'])('%s of a queue come back complete over every page, without agents of other tenants', async (kind) => {
    const queue = queueId(2, 1); // has a member from Globex
    const pages = await allPages(h, keys.acme, `/api/v2/routing/queues/${queue}/${kind}?pageSize=3`);
    const seen = pages.flatMap((page) => page.entities.map((member) => member.id)).sort();
    const expected = h.sim.org.queueMembers.get(queue)!.filter((user) => h.sim.org.user(user)!.division.id !== divisionId(3)).sort();
    expect(seen).toEqual(expected);
    expect(h.sim.org.queueMembers.get(queue)).toContain(userId(3, 1));
    for (const page of pages) {
      expect(page).not.toHaveProperty('total');
      expect(JSON.stringify(page)).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
    }
  });
});

describe('X-Division-Id', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('narrows a request to some of the tenant’s divisions, upstream and in the answer', async () => {
    const res = await request(h.url).get('/api/v2/routing/queues?pageSize=100').set('X-API-Key', keys.acme).set('X-Division-Id', divisionId(2)).set('inin-correlation-id', 'narrow-queues').expect(200);
    expect(new Set(res.body.entities.map((queue: { division: { id: string } }) => queue.division.id))).toEqual(new Set([divisionId(2)]));
    const [narrowed] = upstreamCalls(h, 'narrow-queues').filter((entry) => entry.path === '/api/v2/routing/queues');
    expect(new URLSearchParams(narrowed!.query).getAll('divisionId')).toEqual([divisionId(2)]);
    await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/members`).set('X-API-Key', keys.acme).set('X-Division-Id', divisionId(2)).expect(404);
    await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/members`).set('X-API-Key', keys.acme).set('X-Division-Id', `${divisionId(2)}, ${divisionId(1)}`).expect(200);
  });

  it('refuses a division outside the tenant’s set with 403 before calling Genesys', async () => {
    const res = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).set('X-Division-Id', `${divisionId(1)},${divisionId(3)}`).set('inin-correlation-id', 'narrow-foreign').expect(403);
    expect(res.body).toMatchObject({ code: 'not.authorized' });
    expect(upstreamCalls(h, 'narrow-foreign')).toHaveLength(0);
  });
});

describe('queue directory', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('notices a queue moved to another division on its next refresh', async () => {
    const moved = queueId(3, 7);
    await request(h.url).get(`/api/v2/routing/queues/${moved}/members`).set('X-API-Key', keys.globex).expect(200);
    await request(h.url).get(`/api/v2/routing/queues/${moved}/members`).set('X-API-Key', keys.acme).expect(404);
    h.sim.org.moveQueue(moved, divisionId(1));
    await h.gateway.directories.queues.refresh();
    await request(h.url).get(`/api/v2/routing/queues/${moved}/members`).set('X-API-Key', keys.globex).expect(404);
    await request(h.url).get(`/api/v2/routing/queues/${moved}/members`).set('X-API-Key', keys.acme).expect(200);
    const observation = { filter: { type: 'or', predicates: [{ dimension: 'queueId', value: moved }] }, metrics: ['oMemberUsers'] };
    await request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.globex).send(observation).expect(403);
    const res = await request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.acme).send(observation).expect(200);
    expect(res.body.results.map((result: { group: { queueId: string } }) => result.group.queueId)).toEqual([moved]);
  });
});

describe('when Genesys ignores the division filter', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  it.each(['/api/v2/routing/queues?pageSize=100', '/api/v2/routing/queues/divisionviews?pageSize=100', '/api/v2/routing/queues/divisionviews/all?pageSize=100'])(
    '%s still answers only the tenant’s queues, with totals that do not count the org',
    async (path) => {
      h.sim.faults.add({ kind: 'ignoreDivisionFilter' });
      const res = await request(h.url).get(path).set('X-API-Key', keys.globex).expect(200);
      expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.globex));
      expect(res.body.entities.length).toBeGreaterThan(0);
      expect(res.body.total).toBeLessThan(h.sim.org.queues.length);
      expect(res.body.total).toBeGreaterThanOrEqual(res.body.entities.length);
    },
  );
});
