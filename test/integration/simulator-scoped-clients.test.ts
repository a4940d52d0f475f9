import request from 'supertest';
import { createSimulator, divisionId, queueId, userId, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const granted = [divisionId(1), divisionId(2)];

async function login(url: string, id: string, secret: string): Promise<string> {
  const res = await request(url).post('/oauth/token').set('Authorization', basic(id, secret)).set('Content-Type', 'application/x-www-form-urlencoded').send('grant_type=client_credentials').expect(200);
  return res.body.access_token as string;
}

describe('simulator clients with role divisions', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  let scoped: string;
  let whole: string;
  beforeAll(async () => {
    sim = createSimulator({ clients: [{ clientId: 'bpo-acme', clientSecret: 'acme-secret', roleDivisions: granted }] });
    running = await sim.listen(0);
    scoped = await login(running.url, 'bpo-acme', 'acme-secret');
    whole = await login(running.url, 'sim-client-id', 'sim-client-secret');
  });
  afterAll(() => running.close());

  const get = (path: string, token: string) => request(running.url).get(`/api/v2${path}`).set('Authorization', `Bearer ${token}`);
  const post = (path: string, token: string, body: object) => request(running.url).post(`/api/v2${path}`).set('Authorization', `Bearer ${token}`).send(body);

  it('refuses a scoped client with the wrong secret, and counts logins per client', async () => {
    await request(running.url).post('/oauth/token').set('Authorization', basic('bpo-acme', 'wrong')).set('Content-Type', 'application/x-www-form-urlencoded').send('grant_type=client_credentials').expect(400);
    expect(sim.tokens.issuedCount('bpo-acme')).toBe(1);
    expect(sim.tokens.issuedCount('sim-client-id')).toBe(1);
  });

  it('lists only the granted divisions’ queues, users and divisions, with totals to match', async () => {
    for (const path of ['/routing/queues?pageSize=100', '/users?pageSize=100', '/routing/queues/divisionviews/all?pageSize=100']) {
      const res = await get(path, scoped).expect(200);
      const divisions = new Set((res.body.entities as { division: { id: string } }[]).map((entity) => entity.division.id));
      expect([...divisions].sort()).toEqual([...granted].sort());
      expect(res.body.total).toBe(res.body.entities.length);
      expect((await get(path, whole).expect(200)).body.total).toBeGreaterThan(res.body.total);
    }
    const divisions = await get('/authorization/divisions?pageSize=100', scoped).expect(200);
    expect((divisions.body.entities as { id: string }[]).map((d) => d.id).sort()).toEqual([...granted].sort());
  });

  it('answers 404 by id outside the grant, as for an id that does not exist', async () => {
    await get(`/routing/queues/${queueId(1, 1)}`, scoped).expect(200);
    await get(`/routing/queues/${queueId(3, 1)}`, scoped).expect(404);
    await get(`/users/${userId(3, 1)}`, scoped).expect(404);
    await get(`/authorization/divisions/${divisionId(3)}`, scoped).expect(404);
    await get(`/routing/queues/${queueId(3, 1)}`, whole).expect(200);
  });

  it('drops queue members outside the grant', async () => {
    // Division 2's first queue has a member of division 3.
    const members = (token: string) => get(`/routing/queues/${queueId(2, 1)}/members?pageSize=100`, token).expect(200);
    const ids = (res: request.Response) => (res.body.entities as { id: string }[]).map((member) => member.id);
    expect(ids(await members(whole))).toContain(userId(3, 1));
    expect(ids(await members(scoped))).not.toContain(userId(3, 1));
  });

  it('shows only conversations touching a granted division, and observations of granted queues', async () => {
    const details = await post('/analytics/conversations/details/query', scoped, { interval: '2000-01-01T00:00:00Z/2100-01-01T00:00:00Z', paging: { pageSize: 100, pageNumber: 1 } }).expect(200);
    const conversations = details.body.conversations as { divisionIds: string[] }[];
    expect(conversations.length).toBeGreaterThan(0);
    for (const conversation of conversations) expect(conversation.divisionIds.some((id) => granted.includes(id))).toBe(true);
    const observed = await post('/analytics/queues/observations/query', scoped, {
      filter: { type: 'or', predicates: [queueId(1, 1), queueId(3, 1)].map((id) => ({ dimension: 'queueId', value: id })) },
      metrics: ['oWaiting'],
    }).expect(200);
    const queues = (observed.body.results as { group: { queueId: string } }[]).map((result) => result.group.queueId);
    expect(queues).toContain(queueId(1, 1));
    expect(queues).not.toContain(queueId(3, 1));
  });
});
