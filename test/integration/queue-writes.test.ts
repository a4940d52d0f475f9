import request from 'supertest';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const apiCalls = (h: Harness, correlationId: string) => h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === correlationId);
/** Writes that reached Genesys (a request may also load the queue directory on first use). */
const writes = (h: Harness, correlationId: string) => apiCalls(h, correlationId).filter((entry) => entry.method !== 'GET');

describe('queue writes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { MAX_REQUEST_BODY_BYTES: '4096' } });
  });
  afterAll(() => h.close());

  const asGlobex = (method: 'post' | 'put' | 'delete', path: string, correlationId: string) =>
    request(h.url)[method](path).set('X-API-Key', keys.globex).set('inin-correlation-id', correlationId);

  it('refuses every write of a read-only tenant with 403, without calling Genesys', async () => {
    const own = queueId(1, 3);
    for (const [method, path] of [['post', '/api/v2/routing/queues'], ['put', `/api/v2/routing/queues/${own}`], ['delete', `/api/v2/routing/queues/${own}`]] as const) {
      const res = await request(h.url)[method](path).set('X-API-Key', keys.acme).set('inin-correlation-id', `ro-write-${method}`).send({ name: 'x', division: { id: divisionId(1) } }).expect(403);
      expect(res.body).toMatchObject({ code: 'not.authorized' });
      expect(apiCalls(h, `ro-write-${method}`)).toHaveLength(0);
    }
    expect(h.sim.org.queue(own)).toBeDefined();
  });

  it('creates a queue only in one of the tenant’s divisions, named explicitly', async () => {
    const missing = await asGlobex('post', '/api/v2/routing/queues', 'create-no-division').send({ name: 'No division' }).expect(400);
    expect(missing.body).toMatchObject({ code: 'body.invalid' });
    const foreign = await asGlobex('post', '/api/v2/routing/queues', 'create-foreign').send({ name: 'Foreign', division: { id: divisionId(1) } }).expect(403);
    expect(foreign.body).toMatchObject({ code: 'not.authorized' });
    expect(writes(h, 'create-no-division').concat(writes(h, 'create-foreign'))).toHaveLength(0);

    const created = await asGlobex('post', '/api/v2/routing/queues', 'create-own').send({ name: 'Globex Overflow', division: { id: divisionId(3) }, description: 'made through the proxy' }).expect(200);
    expect(created.body).toMatchObject({ name: 'Globex Overflow', division: { id: divisionId(3) } });
    expect(h.sim.org.queue(created.body.id)?.division.id).toBe(divisionId(3));
    const sent = writes(h, 'create-own');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual({ name: 'Globex Overflow', division: { id: divisionId(3) }, description: 'made through the proxy' });

    // The directory learned the queue: its id works at once, and it is part of Globex's analytics.
    await request(h.url).get(`/api/v2/routing/queues/${created.body.id}/members`).set('X-API-Key', keys.globex).set('inin-correlation-id', 'new-queue-members').expect(200);
    const paths = apiCalls(h, 'new-queue-members').map((call) => call.path);
    expect(paths).toContain(`/api/v2/routing/queues/${created.body.id}/members`);
    expect(paths).not.toContain(`/api/v2/routing/queues/${created.body.id}`);
    await request(h.url).get(`/api/v2/routing/queues/${created.body.id}/members`).set('X-API-Key', keys.acme).expect(404);
    const observation = { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oMemberUsers'] };
    const observed = await request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.globex).send(observation).expect(200);
    expect(observed.body.results.map((result: { group: { queueId: string } }) => result.group.queueId)).toContain(created.body.id);
  });

  it('updates only the tenant’s queue, and only within its divisions', async () => {
    const own = queueId(3, 4);
    await asGlobex('put', `/api/v2/routing/queues/${queueId(1, 4)}`, 'put-foreign-queue').send({ name: 'Mine now', division: { id: divisionId(3) } }).expect(404);
    expect(h.sim.org.queue(queueId(1, 4))?.name).not.toBe('Mine now');
    await asGlobex('put', `/api/v2/routing/queues/${own}`, 'put-move-out').send({ name: 'Moved', division: { id: divisionId(4) } }).expect(403);
    await asGlobex('put', `/api/v2/routing/queues/${own}`, 'put-no-division').send({ name: 'Renamed' }).expect(400);
    expect(h.sim.org.queue(own)?.division.id).toBe(divisionId(3));
    const res = await asGlobex('put', `/api/v2/routing/queues/${own}`, 'put-own').send({ name: 'Globex Renamed', division: { id: divisionId(3) } }).expect(200);
    expect(res.body).toMatchObject({ id: own, name: 'Globex Renamed' });
    expect(h.sim.org.queue(own)?.name).toBe('Globex Renamed');
  });

  it('checks ownership of a written queue with Genesys, not the directory’s last refresh', async () => {
    const moving = queueId(3, 5);
    await request(h.url).get(`/api/v2/routing/queues/${moving}/members`).set('X-API-Key', keys.globex).expect(200);
    h.sim.org.moveQueue(moving, divisionId(4));
    await asGlobex('delete', `/api/v2/routing/queues/${moving}`, 'delete-moved-away').expect(404);
    expect(h.sim.org.queue(moving)).toBeDefined();
  });

  it('deletes only the tenant’s queue, and the directory forgets it', async () => {
    await asGlobex('delete', `/api/v2/routing/queues/${queueId(2, 6)}`, 'delete-foreign').expect(404);
    expect(h.sim.org.queue(queueId(2, 6))).toBeDefined();
    const own = queueId(3, 6);
    const res = await asGlobex('delete', `/api/v2/routing/queues/${own}`, 'delete-own').expect(200);
    expect(res.text).toBe('');
    expect(h.sim.org.queue(own)).toBeUndefined();
    await request(h.url).get(`/api/v2/routing/queues/${own}/members`).set('X-API-Key', keys.globex).set('inin-correlation-id', 'deleted-members').expect(404);
    // The directory answered: nothing reached Genesys for the deleted queue.
    expect(apiCalls(h, 'deleted-members')).toHaveLength(0);
  });
});

describe('request bodies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { MAX_REQUEST_BODY_BYTES: '4096' } });
  });
  afterAll(() => h.close());

  const post = (correlationId: string) => request(h.url).post('/api/v2/routing/queues').set('X-API-Key', keys.globex).set('inin-correlation-id', correlationId);

  it('are refused before Genesys when they are not JSON, too large, malformed or dangerous', async () => {
    const cases: [string, request.Test, number, string][] = [
      ['body-text', post('body-text').set('Content-Type', 'text/plain').send('name=x'), 415, 'unsupported.media.type'],
      ['body-large', post('body-large').send({ name: 'x'.repeat(5000), division: { id: divisionId(3) } }), 413, 'payload.too.large'],
      ['body-malformed', post('body-malformed').set('Content-Type', 'application/json').send('{"name": "x",'), 400, 'body.invalid'],
      ['body-proto', post('body-proto').set('Content-Type', 'application/json').send('{"name":"x","division":{"id":"' + divisionId(3) + '"},"__proto__":{"admin":true}}'), 400, 'body.invalid'],
      ['body-deep', post('body-deep').set('Content-Type', 'application/json').send(`{"name":"x","deep":${'['.repeat(60)}${']'.repeat(60)}}`), 400, 'body.invalid'],
      ['body-invalid', post('body-invalid').send({ division: { id: divisionId(3) } }), 400, 'body.invalid'],
    ];
    for (const [id, call, status, code] of cases) {
      const res = await call;
      expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status, code });
      expect(apiCalls(h, id)).toHaveLength(0);
    }
  });

  it('go upstream as the proxy re-serialised them, with a content-length that matches', async () => {
    const text = `{ "name" : "Dup", "name": "Globex Dup",\n "division": { "id": "${divisionId(3)}" } }`;
    await post('body-reserialised').set('Content-Type', 'application/json').send(text).expect(200);
    const [sent] = writes(h, 'body-reserialised');
    expect(sent!.body).toBe(JSON.stringify({ name: 'Globex Dup', division: { id: divisionId(3) } }));
    expect(Number(sent!.headers['content-length'])).toBe(Buffer.byteLength(sent!.body));
  });

  it('are still refused on routes that take none', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).set('Content-Type', 'application/json').send('{}').expect(400);
  });
});
