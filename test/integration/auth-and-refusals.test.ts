import request from 'supertest';
import { queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rawRequest } from '../support/raw-http.js';
import { keys } from '../support/tenants.js';

const genesysShaped = (body: unknown, status: number, code: string) =>
  expect(body).toEqual({ message: expect.any(String), code, status, contextId: expect.any(String) });

describe('credentials and refusals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.sim.requestLog.clear());

  afterEach(() => {
    // Nothing refused may have reached Genesys.
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/' })).toBe(0);
  });

  it('answers 401 without a credential', async () => {
    const res = await request(h.url).get('/api/v2/routing/queues').expect(401);
    genesysShaped(res.body, 401, 'authentication.required');
  });

  it('answers 401 for an unknown key, in either header', async () => {
    genesysShaped((await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', 'gdp_nope').expect(401)).body, 401, 'bad.credentials');
    genesysShaped((await request(h.url).get('/api/v2/routing/queues').set('Authorization', 'Bearer gdp_nope').expect(401)).body, 401, 'bad.credentials');
  });

  it('answers 401 for an expired key', async () => {
    genesysShaped((await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.expired).expect(401)).body, 401, 'credentials.expired');
  });

  it('ignores a key in the query string', async () => {
    const res = await request(h.url).get(`/api/v2/routing/queues?apiKey=${keys.acme}`).expect(401);
    genesysShaped(res.body, 401, 'authentication.required');
  });

  it('answers 400 when both credential headers are sent', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).set('Authorization', `Bearer ${keys.globex}`).expect(400);
  });

  it('refuses a route outside the policy table with 403', async () => {
    const res = await request(h.url).get('/api/v2/routing/skills').set('X-API-Key', keys.acme).expect(403);
    genesysShaped(res.body, 403, 'route.not.allowed');
    await request(h.url).delete(`/api/v2/routing/queues/${queueId(1, 1)}/members`).set('X-API-Key', keys.acme).expect(403);
    await request(h.url).head('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(403);
  });

  it('refuses a query parameter the route does not know', async () => {
    const res = await request(h.url).get('/api/v2/routing/queues?pageSize=1&pageSize=2').set('X-API-Key', keys.acme).expect(400);
    genesysShaped(res.body, 400, 'query.invalid');
  });

  it.each([
    '/api/v2/routing/queues/../../users',
    '/api/v2/routing/queues/%2e%2e/%2e%2e/users',
    '/api/v2/routing/queues%2fmembers',
    '/api/v2/routing//queues',
    '/api/v2/routing/queues/',
    '/api/v2/routing/queues;jsessionid=1',
    '/api/v2/routing/queues%00',
  ])('refuses the non-canonical path %s with 400', async (path) => {
    const res = await rawRequest(h.url, path, { headers: { 'x-api-key': keys.acme } });
    expect(res.status).toBe(400);
    genesysShaped(res.json(), 400, 'path.not.canonical');
  });

  it('refuses method-override headers', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).set('X-HTTP-Method-Override', 'DELETE').expect(400);
  });

  it('echoes a correlation id in the header and the error body', async () => {
    const res = await request(h.url).get('/api/v2/routing/skills').set('X-API-Key', keys.acme).set('inin-correlation-id', 'corr-12345678').expect(403);
    expect(res.headers['inin-correlation-id']).toBe('corr-12345678');
    expect(res.body.contextId).toBe('corr-12345678');
  });
});
