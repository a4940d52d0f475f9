import request from 'supertest';
import { queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const auditLines = (h: Harness) =>
  h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['log'] === 'audit');

describe('audit log', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('writes one line per tenant request with the decision and the scoping counts', async () => {
    await request(h.url).get(`/api/v2/routing/queues/${queueId(2, 1)}/members?pageSize=100`).set('X-API-Key', keys.acme).set('inin-correlation-id', 'audit-test-1').expect(200);
    const line = auditLines(h).find((entry) => entry['correlationId'] === 'audit-test-1');
    expect(line).toMatchObject({
      tenant: 'acme',
      keyId: 'acme-1',
      method: 'GET',
      route: '/api/v2/routing/queues/{queueId}/members',
      status: 200,
      upstreamStatus: 200,
      upstreamCalls: expect.any(Number),
      entitiesReturned: expect.any(Number),
      entitiesRemoved: 1,
      durationMs: expect.any(Number),
    });
    expect(typeof line!['time']).toBe('string');
  });

  it('logs denials with their reason', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', 'gdp_wrong').set('inin-correlation-id', 'audit-test-2').expect(401);
    await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}`).set('X-API-Key', keys.acme).set('inin-correlation-id', 'audit-test-3').expect(404);
    await request(h.url).get('/api/v2/routing/skills').set('X-API-Key', keys.acme).set('inin-correlation-id', 'audit-test-4').expect(403);
    const byId = (id: string) => auditLines(h).find((entry) => entry['correlationId'] === id);
    expect(byId('audit-test-2')).toMatchObject({ status: 401, denied: 'unknown key' });
    expect(byId('audit-test-3')).toMatchObject({ status: 404, tenant: 'acme', denied: expect.stringContaining('outside') });
    expect(byId('audit-test-4')).toMatchObject({ status: 403, denied: 'route not in the policy table' });
  });

  it('never lets a secret reach the log, whatever path it takes', async () => {
    const secrets = [keys.acme, keys.globex, 'gdp_unknown_secret_value_123456', 'cookie-secret-123456'];
    await request(h.url).get('/api/v2/routing/queues').set('Authorization', `Bearer ${keys.acme}`);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).set('Cookie', 'session=cookie-secret-123456');
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', 'gdp_unknown_secret_value_123456');
    await request(h.url).get(`/api/v2/routing/queues?apiKey=${keys.acme}`);
    await request(h.url).get(`/api/v2/routing/queues?access_token=${keys.acme}`).set('X-API-Key', keys.acme);
    await request(h.url).get('/api/v2/routing/queues').set('inin-correlation-id', keys.acme).set('X-API-Key', keys.acme);
    await request(h.url).post('/api/v2/routing/queues').set('X-API-Key', keys.acme).send({ key: keys.globex });
    await request(h.url).get(`/api/v2/routing/queues/..%2f${keys.acme}`);
    h.sim.tokens.revokeAll();
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme);
    h.sim.faults.add({ kind: 'tokenRefuse' });
    h.sim.tokens.revokeAll();
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme);
    h.sim.faults.clear();
    const genesysTokens = h.sim.requestLog.all().map((r) => r.headers['authorization']).filter((v): v is string => typeof v === 'string' && v.startsWith('Bearer ')).map((v) => v.slice(7));
    const log = h.logLines.join('\n');
    for (const secret of [...secrets, ...genesysTokens, h.settings.genesys.clientSecret]) expect(log).not.toContain(secret);
  });
});

describe('metrics and health', () => {
  let h: Harness;
  let ops: string;
  beforeAll(async () => {
    h = await startHarness();
    ops = (await h.gateway.listenOperations(0, '127.0.0.1')).url;
  });
  afterAll(() => h.close());

  const sample = (text: string, name: string, labels: string) =>
    Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);

  it('serves Prometheus text that moves as requests are made', async () => {
    const before = (await request(ops).get('/metrics').expect(200)).text;
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    const res = await request(ops).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    for (const line of res.text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      // prom-client prints an empty event-loop histogram's mean as `Nan`; Prometheus parses NaN in any case.
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/);
    }
    const labels = 'tenant="acme",route="/api/v2/routing/queues",status="200"';
    expect(sample(res.text, 'gdp_requests_total', labels) - sample(before, 'gdp_requests_total', labels)).toBe(2);
    expect(res.text).toMatch(/gdp_genesys_token_requests_total\{outcome="success",client="proxy"\} 1/);
    expect(res.text).toContain('gdp_proxy_overhead_seconds_bucket');
  });

  it('does not serve metrics on the tenant port', async () => {
    await request(h.url).get('/metrics').set('X-API-Key', keys.acme).expect(403);
  });

  it('answers /healthz and /readyz without a credential and without tenant data', async () => {
    await request(h.url).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(h.url).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { shutdown: 'ok', tenantConfig: 'ok', genesysToken: 'ok', tenantClients: 'ok' } });
    await request(ops).get('/readyz').expect(200);
  });

  it('reports not ready, with the reason, when no Genesys token can be had', async () => {
    h.sim.faults.add({ kind: 'tokenDown' });
    h.sim.tokens.revokeAll();
    await h.gateway.tokens.invalidate((await h.gateway.tokens.getToken().catch(() => '')) || 'none');
    const res = await request(ops).get('/readyz').expect(503);
    expect(res.body.checks.genesysToken).toContain('no Genesys access token');
    h.sim.faults.clear();
  });
});
