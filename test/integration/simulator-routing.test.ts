import request from 'supertest';
import { createSimulator, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';
import { divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';

type Listing = {
  entities: { id: string; name: string; division: { id: string } }[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  selfUri: string;
  lastUri: string;
  nextUri?: string;
  previousUri?: string;
};

describe('simulator routing and directory routes', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  let token: string;
  const get = (path: string) => request(running.url).get(path).set('Authorization', `Bearer ${token}`);
  const send = (method: 'post' | 'put' | 'delete', path: string) => request(running.url)[method](path).set('Authorization', `Bearer ${token}`);
  const ids = (res: request.Response) => (res.body as Listing).entities.map((e) => e.id);

  beforeAll(async () => {
    sim = createSimulator();
    running = await sim.listen(0);
    const res = await request(running.url).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials');
    token = res.body.access_token;
  });
  afterAll(() => running.close());

  describe('GET /routing/queues', () => {
    it('pages through every queue, sorted by name, following nextUri', async () => {
      const pages: Listing[] = [];
      let path: string | undefined = '/api/v2/routing/queues';
      while (path) {
        const page: Listing = (await get(path).expect(200)).body;
        pages.push(page);
        path = page.nextUri;
      }
      const names = pages.flatMap((page) => page.entities.map((q) => q.name));
      expect(pages).toHaveLength(6);
      expect(names).toHaveLength(150);
      expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
      expect(pages[0]).toMatchObject({ pageSize: 25, pageNumber: 1, total: 150, pageCount: 6, lastUri: '/api/v2/routing/queues?pageSize=25&pageNumber=6' });
      expect(pages[0]).not.toHaveProperty('previousUri');
      expect(pages[5]).not.toHaveProperty('nextUri');
      expect(pages[5]!.previousUri).toBe('/api/v2/routing/queues?pageSize=25&pageNumber=5');
    });

    it('accepts divisionId and id both repeated and comma-joined, in any mix', async () => {
      const [d1, d2, d3] = [divisionId(1), divisionId(2), divisionId(3)];
      const expected = sim.org.queues.filter((q) => [d1, d2, d3].includes(q.division.id)).map((q) => q.id).sort();
      for (const query of [`divisionId=${d1}&divisionId=${d2}&divisionId=${d3}`, `divisionId=${d1},${d2},${d3}`, `divisionId=${d1},${d2}&divisionId=${d3}`]) {
        const res = await get(`/api/v2/routing/queues?pageSize=100&${query}`).expect(200);
        expect(res.body.total).toBe(90);
        const second = await get(`/api/v2/routing/queues?pageSize=100&pageNumber=2&${query}`).expect(200);
        expect([...ids(res), ...ids(second)].sort()).toEqual(expected);
      }
      const byId = await get(`/api/v2/routing/queues?id=${queueId(1, 1)},${queueId(3, 2)}&id=${queueId(4, 4)}`).expect(200);
      expect(ids(byId).sort()).toEqual([queueId(1, 1), queueId(3, 2), queueId(4, 4)].sort());
    });

    it('clamps pageSize to maxPageSize, filters by name wildcards and sorts descending', async () => {
      const big = await get('/api/v2/routing/queues?pageSize=1000').expect(200);
      expect(big.body).toMatchObject({ pageSize: 100, pageCount: 2 });
      expect(big.body.entities).toHaveLength(100);
      const named = await get('/api/v2/routing/queues?name=globex*&sortOrder=desc&pageSize=100').expect(200);
      expect(named.body.total).toBe(30);
      expect(named.body.entities[0].name).toBe('Globex Queue 9');
      expect((await get('/api/v2/routing/queues?name=*queue%2029').expect(200)).body.total).toBe(5);
      await get('/api/v2/routing/queues?sortOrder=sideways').expect(400);
      await get('/api/v2/routing/queues?pageSize=abc').expect(400);
    });

    it('honours the maxPageSize option', async () => {
      const small = createSimulator({ maxPageSize: 10, seed: { queuesPerDivision: 3 } });
      const res = await request(small.app).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials');
      const listing = await request(small.app).get('/api/v2/routing/queues?pageSize=50').set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
      expect(listing.body).toMatchObject({ pageSize: 10, total: 15, pageCount: 2 });
    });

    it('rejects unknown query parameters only when configured to', async () => {
      await get('/api/v2/routing/queues?bogus=1').expect(200);
      const strict = createSimulator({ rejectUnknownQueryParams: true });
      const res = await request(strict.app).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials');
      const refused = await request(strict.app).get('/api/v2/routing/queues?bogus=1').set('Authorization', `Bearer ${res.body.access_token}`).expect(400);
      expect(refused.body).toMatchObject({ code: 'bad.request', status: 400 });
      expect(refused.body.message).toContain('bogus');
    });
  });

  describe('division views', () => {
    it('caps pageSize at 100 and pageNumber at 5', async () => {
      const res = await get('/api/v2/routing/queues/divisionviews?pageSize=500').expect(200);
      expect(res.body).toMatchObject({ pageSize: 100, total: 150 });
      expect(Object.keys(res.body.entities[0]).sort()).toEqual(['division', 'id', 'name']);
      await get('/api/v2/routing/queues/divisionviews?pageSize=1&pageNumber=5').expect(200);
      const beyond = await get('/api/v2/routing/queues/divisionviews?pageSize=1&pageNumber=6').expect(400);
      expect(beyond.body.code).toBe('bad.request');
    });

    it('treats divisionId=* as all divisions and sorts by divisionId', async () => {
      expect((await get('/api/v2/routing/queues/divisionviews?divisionId=*').expect(200)).body.total).toBe(150);
      expect((await get(`/api/v2/routing/queues/divisionviews?divisionId=${divisionId(4)}`).expect(200)).body.total).toBe(30);
      const sorted = await get('/api/v2/routing/queues/divisionviews?sortBy=divisionId&sortOrder=desc&pageSize=1').expect(200);
      expect(sorted.body.entities[0].division.id).toBe(divisionId(4));
      await get('/api/v2/routing/queues/divisionviews?sortBy=size').expect(400);
    });

    it('serves /all with pages of up to 500 and no division filter', async () => {
      const all = await get(`/api/v2/routing/queues/divisionviews/all?pageSize=900&divisionId=${divisionId(1)}`).expect(200);
      expect(all.body).toMatchObject({ pageSize: 500, total: 150 });
      expect(all.body.entities[0]).toEqual({ id: expect.any(String), name: expect.any(String), division: expect.objectContaining({ id: expect.any(String) }) });
    });
  });

  describe('one queue', () => {
    it('returns a queue, and 404 not.found for an unknown one', async () => {
      const res = await get(`/api/v2/routing/queues/${queueId(2, 3)}`).expect(200);
      expect(res.body).toMatchObject({
        id: queueId(2, 3),
        name: 'Acme South Queue 3',
        division: { id: divisionId(2), name: 'Acme South', selfUri: `/api/v2/authorization/divisions/${divisionId(2)}` },
        memberCount: 8,
        skillEvaluationMethod: 'BEST',
        selfUri: `/api/v2/routing/queues/${queueId(2, 3)}`,
      });
      const missing = await get('/api/v2/routing/queues/ffffffff-ffff-4fff-8fff-ffffffffffff').expect(404);
      expect(missing.body).toMatchObject({ code: 'not.found', status: 404 });
    });

    it('creates (Home by default), updates, moves and deletes queues', async () => {
      await send('post', '/api/v2/routing/queues').send({ description: 'no name' }).expect(400);
      await send('post', '/api/v2/routing/queues').send({ name: 'X', division: { id: 'nope' } }).expect(400);
      const home = await send('post', '/api/v2/routing/queues').send({ name: 'Created in Home' }).expect(200);
      expect(home.body.division.id).toBe(divisionId(0));
      const created = await send('post', '/api/v2/routing/queues').send({ name: 'Created in Globex', division: { id: divisionId(3) } }).expect(200);
      expect(sim.org.ownerDivisionsOf(created.body.id)).toEqual([divisionId(3)]);
      const moved = await send('put', `/api/v2/routing/queues/${created.body.id}`).send({ name: 'Renamed', division: { id: divisionId(4) } }).expect(200);
      expect(moved.body).toMatchObject({ name: 'Renamed', division: { id: divisionId(4), name: 'Initech' } });
      expect((await get(`/api/v2/routing/queues?divisionId=${divisionId(4)}&name=renamed`).expect(200)).body.total).toBe(1);
      const deleted = await send('delete', `/api/v2/routing/queues/${created.body.id}`).expect(200);
      expect(deleted.text).toBe('');
      await get(`/api/v2/routing/queues/${created.body.id}`).expect(404);
      await send('delete', `/api/v2/routing/queues/${created.body.id}`).expect(404);
      await send('put', '/api/v2/routing/queues/ffffffff-ffff-4fff-8fff-ffffffffffff').send({ name: 'x' }).expect(404);
      await send('delete', `/api/v2/routing/queues/${home.body.id}`).expect(200);
    });

    it('answers 400 to malformed JSON, 415 to other media types and 413 past 512000 bytes', async () => {
      const malformed = await send('post', '/api/v2/routing/queues').set('Content-Type', 'application/json').send('{"name":').expect(400);
      expect(malformed.body.code).toBe('bad.request');
      await send('post', '/api/v2/routing/queues').set('Content-Type', 'text/plain').send('name').expect(415);
      const huge = await send('post', '/api/v2/routing/queues').set('Content-Type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(512_001) })).expect(413);
      expect(huge.body.message).toContain('512000');
    });

    it('moves a queue through the org helper, and listings follow', async () => {
      const moving = queueId(4, 30);
      sim.org.moveQueue(moving, divisionId(1));
      try {
        const res = await get(`/api/v2/routing/queues?divisionId=${divisionId(1)}&pageSize=100`).expect(200);
        expect(ids(res)).toContain(moving);
        expect(res.body.total).toBe(31);
      } finally {
        sim.org.moveQueue(moving, divisionId(4));
      }
    });
  });

  describe('queue members and wrap-up codes', () => {
    it('lists members without total, lastUri or pageCount, including the cross-division member', async () => {
      const res = await get(`/api/v2/routing/queues/${queueId(2, 1)}/members?pageSize=100`).expect(200);
      expect(res.body).not.toHaveProperty('total');
      expect(res.body).not.toHaveProperty('lastUri');
      expect(res.body).not.toHaveProperty('pageCount');
      expect(res.body).toMatchObject({ pageNumber: 1, pageSize: 100, firstUri: `/api/v2/routing/queues/${queueId(2, 1)}/members?pageSize=100&pageNumber=1` });
      const members = res.body.entities as { id: string; user: { id: string; division: { id: string } }; memberBy: string }[];
      expect(members).toHaveLength(9);
      expect(members.filter((m) => m.user.division.id === divisionId(3)).map((m) => m.id)).toEqual([userId(3, 1)]);
      for (const member of members) expect(member).toMatchObject({ id: member.user.id, memberBy: 'user', ringNumber: 1 });
    });

    it('clamps member pages at 100, pages with nextUri, and serves the deprecated /users twin', async () => {
      const first = await get(`/api/v2/routing/queues/${queueId(1, 1)}/members?pageSize=4`).expect(200);
      expect(first.body.entities).toHaveLength(4);
      expect(first.body.nextUri).toBe(`/api/v2/routing/queues/${queueId(1, 1)}/members?pageSize=4&pageNumber=2`);
      const last = await get(`/api/v2/routing/queues/${queueId(1, 1)}/members?pageSize=4&pageNumber=3`).expect(200);
      expect(last.body.entities).toHaveLength(1);
      expect(last.body).not.toHaveProperty('nextUri');
      expect((await get(`/api/v2/routing/queues/${queueId(1, 1)}/members?pageSize=500`).expect(200)).body.pageSize).toBe(100);
      const twin = await get(`/api/v2/routing/queues/${queueId(1, 1)}/users?pageSize=100`).expect(200);
      const members = await get(`/api/v2/routing/queues/${queueId(1, 1)}/members?pageSize=100`).expect(200);
      expect(ids(twin)).toEqual(ids(members));
      const expanded = await get(`/api/v2/routing/queues/${queueId(1, 1)}/members?expand=routingStatus`).expect(200);
      expect(expanded.body.entities[0].routingStatus).toMatchObject({ status: expect.any(String) });
      await get('/api/v2/routing/queues/ffffffff-ffff-4fff-8fff-ffffffffffff/members').expect(404);
    });

    it('lists a few Home wrap-up codes per queue', async () => {
      const res = await get(`/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`).expect(200);
      expect(res.body).toMatchObject({ total: 3, pageCount: 1 });
      for (const code of res.body.entities) expect(code).toMatchObject({ division: { id: divisionId(0) }, selfUri: `/api/v2/routing/wrapupcodes/${code.id}` });
      await get('/api/v2/routing/queues/ffffffff-ffff-4fff-8fff-ffffffffffff/wrapupcodes').expect(404);
    });
  });

  describe('users and divisions', () => {
    it('lists users of every division and ignores a divisionId parameter, which Genesys does not have', async () => {
      const res = await get(`/api/v2/users?pageSize=100&divisionId=${divisionId(1)}`).expect(200);
      expect(res.body.total).toBe(60);
      expect(new Set(res.body.entities.map((u: { division: { id: string } }) => u.division.id)).size).toBe(5);
      const some = await get(`/api/v2/users?id=${userId(1, 1)},${userId(2, 2)}&sortOrder=descending`).expect(200);
      expect(ids(some).sort()).toEqual([userId(1, 1), userId(2, 2)].sort());
      expect((await get('/api/v2/users?state=inactive').expect(200)).body.total).toBe(0);
      const one = await get(`/api/v2/users/${userId(3, 2)}`).expect(200);
      expect(Object.keys(one.body).sort()).toEqual(['division', 'email', 'id', 'name', 'selfUri', 'state', 'title', 'username', 'version']);
      await get('/api/v2/users/nobody').expect(404);
    });

    it('lists divisions with optional object counts, and serves one division and home', async () => {
      const res = await get('/api/v2/authorization/divisions?objectCount=true').expect(200);
      expect(res.body.total).toBe(5);
      const globex = res.body.entities.find((d: { id: string }) => d.id === divisionId(3));
      expect(globex).toEqual({ id: divisionId(3), name: 'Globex', description: expect.any(String), homeDivision: false, objectCounts: { QUEUE: 30, USER: 12 }, selfUri: `/api/v2/authorization/divisions/${divisionId(3)}` });
      const plain = await get(`/api/v2/authorization/divisions?id=${divisionId(1)},${divisionId(2)}`).expect(200);
      expect(ids(plain).sort()).toEqual([divisionId(1), divisionId(2)]);
      expect(plain.body.entities[0]).not.toHaveProperty('objectCounts');
      expect((await get('/api/v2/authorization/divisions?name=acme*').expect(200)).body.total).toBe(2);
      expect((await get(`/api/v2/authorization/divisions/${divisionId(4)}`).expect(200)).body.name).toBe('Initech');
      expect((await get('/api/v2/authorization/divisions/home').expect(200)).body).toMatchObject({ id: divisionId(0), homeDivision: true });
      await get('/api/v2/authorization/divisions/nope').expect(404);
    });
  });
});
