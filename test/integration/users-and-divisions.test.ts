import request from 'supertest';
import { divisionId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { divisionsOf, keys } from '../support/tenants.js';

type Listing = { entities: { id: string; division?: { id: string } }[]; total: number; pageCount: number; pageSize: number; nextUri?: string };
const upstream = (h: Harness, correlationId: string) => h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === correlationId);

describe('users', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const usersOf = (divisions: readonly string[]) => h.sim.org.users.filter((user) => divisions.includes(user.division.id) && user.state === 'active');

  it.each([
    ['acme', keys.acme, divisionsOf.acme],
    ['globex', keys.globex, divisionsOf.globex],
  ] as const)('%s pages through all and only its own users; totals count nobody else', async (_tenant, key, divisions) => {
    const expected = usersOf(divisions);
    const pages: Listing[] = [];
    let path: string | undefined = '/api/v2/users?pageSize=5';
    for (let i = 0; path; i += 1) {
      const res: request.Response = await request(h.url).get(path).set('X-API-Key', key).set('inin-correlation-id', `users-page-${_tenant}-${i}`).expect(200);
      pages.push(res.body as Listing);
      const calls = upstream(h, `users-page-${_tenant}-${i}`).filter((call) => !call.query.includes('state=any'));
      expect(calls).toHaveLength(1);
      expect(new URLSearchParams(calls[0]!.query).getAll('id')).toEqual((res.body as Listing).entities.map((user) => user.id));
      path = (res.body as Listing).nextUri;
      if (pages.length > 20) throw new Error('paging does not end');
    }
    expect(pages.flatMap((page) => page.entities.map((user) => user.id)).sort()).toEqual(expected.map((user) => user.id).sort());
    for (const page of pages) expect(page).toMatchObject({ total: expected.length, pageCount: Math.ceil(expected.length / 5), pageSize: 5 });
    expect(h.sim.org.users.length).toBeGreaterThan(expected.length);
  });

  it('drops another tenant’s ids from an id filter', async () => {
    const res = await request(h.url).get(`/api/v2/users?id=${userId(3, 1)},${userId(1, 2)}`).set('X-API-Key', keys.acme).expect(200);
    expect(res.body.entities.map((user: { id: string }) => user.id)).toEqual([userId(1, 2)]);
    expect(res.body.total).toBe(1);
    const none = await request(h.url).get(`/api/v2/users?id=${userId(3, 1)}`).set('X-API-Key', keys.acme).set('inin-correlation-id', 'users-foreign-only').expect(200);
    expect(none.body).toMatchObject({ entities: [], total: 0 });
    expect(upstream(h, 'users-foreign-only').filter((call) => call.path === '/api/v2/users' && !call.query.includes('state=any'))).toHaveLength(0);
  });

  it('narrows with X-Division-Id', async () => {
    const res = await request(h.url).get('/api/v2/users?pageSize=100').set('X-API-Key', keys.acme).set('X-Division-Id', divisionId(2)).expect(200);
    expect(res.body.total).toBe(usersOf([divisionId(2)]).length);
    for (const user of res.body.entities) expect(user.division.id).toBe(divisionId(2));
  });

  it('answers one user of the tenant, and 404 for anyone else’s', async () => {
    const res = await request(h.url).get(`/api/v2/users/${userId(1, 4)}`).set('X-API-Key', keys.acme).expect(200);
    expect(res.body).toMatchObject({ id: userId(1, 4), division: { id: divisionId(1) } });
    await request(h.url).get(`/api/v2/users/${userId(4, 4)}`).set('X-API-Key', keys.acme).expect(404);
  });
});

describe('divisions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists only the tenant’s divisions, asking Genesys for them by id', async () => {
    const res = await request(h.url).get('/api/v2/authorization/divisions?objectCount=true').set('X-API-Key', keys.acme).set('inin-correlation-id', 'divisions-list').expect(200);
    expect(res.body.entities.map((division: { id: string }) => division.id).sort()).toEqual([...divisionsOf.acme].sort());
    expect(res.body).toMatchObject({ total: 2, pageCount: 1 });
    expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
    expect(new URLSearchParams(upstream(h, 'divisions-list')[0]!.query).getAll('id')).toEqual([...divisionsOf.acme]);
  });

  it('answers an empty listing, without Genesys, when only foreign divisions are asked for', async () => {
    const res = await request(h.url).get(`/api/v2/authorization/divisions?id=${divisionId(0)}`).set('X-API-Key', keys.acme).set('inin-correlation-id', 'divisions-foreign').expect(200);
    expect(res.body).toMatchObject({ entities: [], total: 0 });
    expect(upstream(h, 'divisions-foreign')).toHaveLength(0);
  });

  it('answers one own division, and 404 for any other without asking Genesys', async () => {
    await request(h.url).get(`/api/v2/authorization/divisions/${divisionId(3)}`).set('X-API-Key', keys.globex).expect(200);
    await request(h.url).get(`/api/v2/authorization/divisions/${divisionId(1)}`).set('X-API-Key', keys.globex).set('inin-correlation-id', 'division-foreign').expect(404);
    expect(upstream(h, 'division-foreign')).toHaveLength(0);
  });
});
