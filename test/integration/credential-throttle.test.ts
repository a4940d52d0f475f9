import request from 'supertest';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const auditLines = (h: Harness) => h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['log'] === 'audit');
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('case 6: failed credentials are throttled', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('case 6: wrong keys from one address get a clear 429 with Retry-After, a metric and an audit line', async () => {
    const statuses: number[] = [];
    let throttled: request.Response | undefined;
    for (let i = 0; i < 80; i += 1) {
      const res = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', `gdp_wrong_${i}`).set('inin-correlation-id', `guess-${i}`);
      statuses.push(res.status);
      if (res.status === 429) throttled ??= res;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(40);
    expect(throttled!.headers['retry-after']).toMatch(/^\d+$/);
    expect(throttled!.body).toMatchObject({ code: 'too.many.requests', status: 429 });
    expect(throttled!.body.message).toMatch(/failed credentials/i);
    expect(auditLines(h).some((line) => line['status'] === 429 && line['denied'] === 'failed credentials throttled')).toBe(true);
    const metrics = await h.gateway.metrics.credentialsThrottled.get();
    expect(metrics.values.find((value) => value.labels['endpoint'] === 'api')?.value).toBeGreaterThan(40);
  });

  it('case 6: a tenant presenting its valid key is never slowed by someone else’s failures, even from the same address', async () => {
    for (let i = 0; i < 40; i += 1) await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', `gdp_wrong_again_${i}`);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).expect(200);
  });

  it('case 6: wrong secrets on /oauth/token are throttled per key id, and the right secret still works', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const res = await request(h.url).post('/oauth/token').set('Authorization', basic('globex-1', `wrong-${i}`)).type('form').send('grant_type=client_credentials');
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers['retry-after']).toMatch(/^\d+$/);
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(20);
    const ok = await request(h.url).post('/oauth/token').set('Authorization', basic('globex-1', keys.globex)).type('form').send('grant_type=client_credentials');
    expect(ok.status).toBe(200);
    const metrics = await h.gateway.metrics.credentialsThrottled.get();
    expect(metrics.values.find((value) => value.labels['endpoint'] === 'oauth-token')?.value).toBeGreaterThan(20);
  });
});
