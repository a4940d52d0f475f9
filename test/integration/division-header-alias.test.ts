import request from 'supertest';
import { divisionId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const ALIAS = 'X-Genesys-Auth-Division-Id';

describe(`${ALIAS}, the header integrators try first, as an alias of X-Division-Id`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const queues = (headers: Record<string, string>) => request(h.url).get('/api/v2/routing/queues?pageSize=100').set('X-API-Key', keys.acme).set(headers);

  it('narrows the request to the named own division, as X-Division-Id does', async () => {
    const viaAlias = await queues({ [ALIAS]: divisionId(2) });
    const viaHeader = await queues({ 'X-Division-Id': divisionId(2) });
    expect(viaAlias.status).toBe(200);
    const ids = (body: { entities: { division: { id: string } }[] }) => body.entities.map((q) => q.division.id);
    expect(new Set(ids(viaAlias.body))).toEqual(new Set([divisionId(2)]));
    expect(viaAlias.body).toEqual(viaHeader.body);
  });

  it('refuses a division outside the tenant’s set with 403 before anything goes to Genesys', async () => {
    const before = h.sim.requestLog.count({ pathPrefix: '/api/v2/routing' });
    const response = await queues({ [ALIAS]: divisionId(3) });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('not.authorized');
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/routing' })).toBe(before);
  });

  it('refuses both headers at once with 400, whatever they say', async () => {
    const response = await queues({ [ALIAS]: divisionId(1), 'X-Division-Id': divisionId(1) });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('bad.request');
  });
});
