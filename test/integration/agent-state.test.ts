import request from 'supertest';
import { userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { loadSdk, type LoadedSdk, type SdkApiClient } from '../support/sdk.js';
import { divisionsOf, keys } from '../support/tenants.js';

interface PresenceApi {
  getUserPresencesPurecloud(userId: string): Promise<{ presenceDefinition?: { systemPresence?: string } }>;
  getUsersPresencesPurecloudBulk(opts: { id: string[] }): Promise<{ userId?: string; presenceDefinition?: { systemPresence?: string } }[]>;
  getSystempresences(): Promise<{ id?: string; name?: string }[]>;
}
interface UsersApi {
  getUserRoutingstatus(userId: string): Promise<{ userId?: string; status?: string }>;
  postAnalyticsUsersDetailsQuery(body: Record<string, unknown>): Promise<{ userDetails?: { userId: string }[]; totalHits?: number }>;
}
interface PlatformClient {
  ApiClient: { instance: unknown };
  PresenceApi: new () => PresenceApi;
  UsersApi: new () => UsersApi;
}

const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
const NOBODY = '7e57fa11-0000-4000-8000-000000000000';

describe('agent state through the proxy', () => {
  let h: Harness;
  let sdk: LoadedSdk<PlatformClient>;
  let client: SdkApiClient;
  let presence: PresenceApi;
  let users: UsersApi;

  beforeAll(async () => {
    sdk = await loadSdk<PlatformClient>();
    client = sdk.client;
    h = await startHarness();
    sdk.useProxy(h.url);
    presence = new sdk.platformClient.PresenceApi();
    users = new sdk.platformClient.UsersApi();
  });

  afterAll(async () => {
    await h.close();
    await sdk.unload();
  });

  const ownUsers = (divisions: readonly string[]) => h.sim.org.users.filter((user) => divisions.includes(user.division.id)).map((user) => user.id).sort();

  it('SDK: reads an own agent’s routing status and presence, changed in the org', async () => {
    client.setAccessToken(keys.acme);
    h.sim.agents.setRoutingStatus(userId(1, 2), 'INTERACTING');
    h.sim.agents.setPresence(userId(1, 2), 'BUSY');
    expect(await users.getUserRoutingstatus(userId(1, 2))).toMatchObject({ userId: userId(1, 2), status: 'INTERACTING' });
    expect((await presence.getUserPresencesPurecloud(userId(1, 2))).presenceDefinition?.systemPresence).toBe('BUSY');
  });

  it('SDK: another tenant’s agent answers 404 like an agent that does not exist', async () => {
    client.setAccessToken(keys.acme);
    for (const id of [userId(3, 1), NOBODY]) {
      await expect(users.getUserRoutingstatus(id)).rejects.toMatchObject({ status: 404, code: 'not.found' });
      await expect(presence.getUserPresencesPurecloud(id)).rejects.toMatchObject({ status: 404, code: 'not.found' });
    }
  });

  it('SDK: bulk presence of own agents; one foreign or unknown id refuses the whole call', async () => {
    client.setAccessToken(keys.acme);
    const ids = [userId(1, 1), userId(2, 4)];
    const answer = await presence.getUsersPresencesPurecloudBulk({ id: ids });
    expect(answer.map((entry) => entry.userId).sort()).toEqual(ids.sort());
    await expect(presence.getUsersPresencesPurecloudBulk({ id: [userId(1, 1), userId(3, 1)] })).rejects.toMatchObject({ status: 403, code: 'not.authorized' });
    await expect(presence.getUsersPresencesPurecloudBulk({ id: [userId(1, 1), NOBODY] })).rejects.toMatchObject({ status: 403, code: 'not.authorized' });
  });

  it('bulk presence takes at most 50 ids and at least one, repeated or comma-joined', async () => {
    const many = Array.from({ length: 51 }, (_, i) => userId(1, i + 1));
    await request(h.url).get(`/api/v2/users/presences/purecloud/bulk?id=${many.join(',')}`).set('X-API-Key', keys.acme).expect(400);
    await request(h.url).get('/api/v2/users/presences/purecloud/bulk').set('X-API-Key', keys.acme).expect(400);
    const res = await request(h.url).get(`/api/v2/users/presences/purecloud/bulk?id=${userId(1, 1)}&id=${userId(1, 3)}`).set('X-API-Key', keys.acme).expect(200);
    expect((res.body as { userId: string }[]).map((entry) => entry.userId).sort()).toEqual([userId(1, 1), userId(1, 3)]);
  });

  it('SDK: system presences are the org-wide list, the same for every tenant', async () => {
    client.setAccessToken(keys.acme);
    const acme = await presence.getSystempresences();
    client.setAccessToken(keys.globex);
    expect(await presence.getSystempresences()).toEqual(acme);
    expect(acme.map((entry) => entry.id)).toContain('AVAILABLE');
  });

  it('SDK: user details query answers the tenant’s users only, with exact totals and paging', async () => {
    client.setAccessToken(keys.acme);
    const own = ownUsers(divisionsOf.acme);
    const seen: string[] = [];
    let total: number | undefined;
    for (let pageNumber = 1; pageNumber <= 10; pageNumber += 1) {
      const page = await users.postAnalyticsUsersDetailsQuery({ interval, paging: { pageSize: 5, pageNumber } });
      total = page.totalHits;
      seen.push(...(page.userDetails ?? []).map((detail) => detail.userId));
      if ((page.userDetails ?? []).length < 5) break;
    }
    expect(total).toBe(own.length);
    expect(seen.sort()).toEqual(own);
  });

  it('SDK: a user details query naming another tenant’s or an unknown user is refused', async () => {
    client.setAccessToken(keys.globex);
    for (const id of [userId(1, 1), NOBODY]) {
      await expect(
        users.postAnalyticsUsersDetailsQuery({ interval, userFilters: [{ type: 'or', predicates: [{ dimension: 'userId', value: id }] }] }),
      ).rejects.toMatchObject({ status: 403, code: 'not.authorized' });
    }
  });

  it('a user details query with presence filters counts only own users, and aggregations are refused', async () => {
    const body = { interval, presenceFilters: [{ type: 'or', predicates: [{ dimension: 'systemPresence', value: 'AVAILABLE' }] }], paging: { pageSize: 100, pageNumber: 1 } };
    const res = await request(h.url).post('/api/v2/analytics/users/details/query').set('X-API-Key', keys.globex).send(body).expect(200);
    const own = new Set(ownUsers(divisionsOf.globex));
    const expected = [...own].filter((id) => h.sim.agents.of(id).systemPresence === 'AVAILABLE');
    expect(res.body.totalHits).toBe(expected.length);
    expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.globex));
    await request(h.url)
      .post('/api/v2/analytics/users/details/query')
      .set('X-API-Key', keys.globex)
      .send({ ...body, presenceAggregations: [{ type: 'termFrequency', dimension: 'systemPresence' }] })
      .expect(400);
  });
});
