import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';
import { sha256Hex } from '../../src/tenants/api-key.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';
import { testTenantsDir } from '../support/tenants-dir.js';
import { eventually } from '../support/wait.js';

const TOKEN_SECRET = 'console-test-token-secret-0123456789-abcdef';
const basic = (id: string, key: string) => `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`;

interface ConsoleState {
  tenants: { id: string; name: string; divisions: { id: string; name: string | null }[]; keys: { id: string; expired: boolean; expiresAt: string | null; lastUsedAt: string | null }[]; usage: { lastMinute: { requests: number; upstreamCalls: number } } }[];
  refusals: { lastHour: Record<string, number>; recent: { status: number; tenant: string | null; reason: string | null; correlationId: string; route: string }[] };
  directories: { name: string; loadedAt: string | null; ageSeconds: number | null; entries: number }[];
  genesysToken: { held: boolean; expiresInSeconds: number | null; lastLogin: { outcome: string } | null };
  redis: { configured: boolean; up: boolean };
  reloads: { ok: boolean; tenants?: number; problems?: { file: string; field: string; message: string }[] }[];
}

describe('operations console', () => {
  let h: Harness;
  let ops: string;
  let tenantsDir: Awaited<ReturnType<typeof testTenantsDir>>;
  beforeAll(async () => {
    tenantsDir = await testTenantsDir('console-tenants-');
    h = await startHarness({ tenantsDir: tenantsDir.dir, env: { TENANT_TOKEN_SECRET: TOKEN_SECRET } });
    ops = (await h.gateway.listenOperations(0, '127.0.0.1')).url;
  });
  afterAll(async () => {
    await h.close();
    await tenantsDir.remove();
  });

  const state = async () => (await request(ops).get('/console/state').expect(200)).body as ConsoleState;

  it('serves the page, its script and its state on the operations port only', async () => {
    const page = await request(ops).get('/console').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/console/console.js');
    await request(ops).get('/console/console.js').expect(200).expect('content-type', /javascript/);
    await request(ops).get('/console/console.css').expect(200).expect('content-type', /css/);
    for (const path of ['/console', '/console/state', '/console/console.js']) {
      await request(h.url).get(path).expect(401);
      await request(h.url).get(path).set('X-API-Key', keys.acme).expect(403);
    }
    await request(ops).post('/console/state').expect(405);
  });

  it('lists every tenant with its divisions by name and id, and its key ids with expiry and last use', async () => {
    await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).expect(200);
    const { tenants } = await state();
    expect(tenants.map((t) => t.id).sort()).toEqual(['acme', 'globex']);
    const acme = tenants.find((t) => t.id === 'acme')!;
    expect(acme.divisions).toEqual([
      { id: divisionId(1), name: expect.any(String) },
      { id: divisionId(2), name: expect.any(String) },
    ]);
    expect(acme.divisions[0]!.name).not.toBe('');
    expect(acme.keys.map((k) => [k.id, k.expired])).toEqual([['acme-1', false], ['acme-old', true]]);
    expect(acme.keys[0]!.lastUsedAt).not.toBeNull();
    expect(acme.keys[1]!.expiresAt).toBe('2020-01-01T00:00:00.000Z');
    expect(acme.usage.lastMinute.requests).toBeGreaterThanOrEqual(1);
    expect(acme.usage.lastMinute.upstreamCalls).toBeGreaterThanOrEqual(1);
  });

  it('shows each refusal with its status, reason and correlation id, and counts them by status', async () => {
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', 'gdp_not_a_key_of_anyone_000000000000').set('inin-correlation-id', 'console-refusal-401').expect(401);
    await request(h.url).get('/api/v2/routing/skills').set('X-API-Key', keys.acme).set('inin-correlation-id', 'console-refusal-403').expect(403);
    await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}`).set('X-API-Key', keys.acme).set('inin-correlation-id', 'console-refusal-404').expect(404);
    const { refusals } = await state();
    const byId = (id: string) => refusals.recent.find((r) => r.correlationId === id);
    expect(byId('console-refusal-401')).toMatchObject({ status: 401, tenant: null, reason: 'unknown key' });
    expect(byId('console-refusal-403')).toMatchObject({ status: 403, tenant: 'acme', reason: 'route not in the policy table', route: 'unmatched' });
    expect(byId('console-refusal-404')).toMatchObject({ status: 404, tenant: 'acme', route: '/api/v2/routing/queues/{queueId}' });
    for (const status of ['401', '403', '404']) expect(refusals.lastHour[status]).toBeGreaterThanOrEqual(1);
  });

  it('shows directory freshness, the Genesys token and Redis', async () => {
    await request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}`).set('X-API-Key', keys.acme).expect(200);
    await request(h.url).get('/api/v2/users?pageSize=1').set('X-API-Key', keys.acme).expect(200);
    const current = await state();
    for (const directory of current.directories) {
      expect(directory.loadedAt).not.toBeNull();
      expect(directory.ageSeconds).toBeGreaterThanOrEqual(0);
      expect(directory.entries).toBeGreaterThan(0);
    }
    expect(current.directories.map((d) => d.name)).toEqual(['queues', 'users']);
    expect(current.genesysToken).toMatchObject({ held: true, lastLogin: { outcome: 'success' } });
    expect(current.genesysToken.expiresInSeconds).toBeGreaterThan(80_000);
    expect(current.redis).toEqual({ configured: false, up: false, since: null });
  });

  it('records tenant file reloads, with the file and field of a failed one', async () => {
    await writeFile(path.join(tenantsDir.dir, 'broken.yaml'), `id: broken\nname: Broken\ndivisions: [${divisionId(4)}]\napiKeys:\n  - id: broken-1\n    sha256: ${sha256Hex('gdp_never_shown_key_00000000000000').slice(0, 40)}\n`);
    await eventually(async () => expect((await state()).reloads[0]).toMatchObject({ ok: false }));
    const failed = (await state()).reloads[0]!;
    expect(failed.problems).toEqual([{ file: 'broken.yaml', field: 'apiKeys.0.sha256', message: expect.any(String) }]);
    await rm(path.join(tenantsDir.dir, 'broken.yaml'));
    await eventually(async () => expect((await state()).reloads[0]).toMatchObject({ ok: true, tenants: 2 }));
  });

  it('never shows a key, a key hash, a token or a secret, whatever was sent', async () => {
    const token = (await request(h.url).post('/oauth/token').set('Authorization', basic('acme-1', keys.acme)).type('form').send('grant_type=client_credentials').expect(200)).body.access_token as string;
    await request(h.url).get('/api/v2/routing/queues').set('Authorization', `Bearer ${token}`).expect(200);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).expect(200);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.expired).expect(401);
    await request(h.url).get(`/api/v2/routing/queues?apiKey=${keys.acme}`).set('X-API-Key', keys.acme);
    await request(h.url).get('/api/v2/routing/queues').set('inin-correlation-id', keys.acme).set('X-API-Key', keys.acme);
    await request(h.url).get(`/api/v2/routing/queues/..%2f${keys.globex}`).set('X-API-Key', keys.globex);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', `${keys.acme}x`);
    const seen = [
      (await request(ops).get('/console')).text,
      (await request(ops).get('/console/console.js')).text,
      (await request(ops).get('/console/state')).text,
    ].join('\n');
    const genesysTokens = h.sim.requestLog.all().map((r) => r.headers['authorization']).filter((v): v is string => typeof v === 'string' && v.startsWith('Bearer ')).map((v) => v.slice(7));
    expect(genesysTokens.length).toBeGreaterThan(0);
    const secrets = [
      ...Object.values(keys),
      ...Object.values(keys).map(sha256Hex),
      token,
      ...genesysTokens,
      h.settings.genesys.clientSecret,
      TOKEN_SECRET,
    ];
    for (const secret of secrets) expect(seen).not.toContain(secret);
    expect(seen).not.toMatch(/gdp_[A-Za-z0-9_-]{16,}/);
    expect(seen).not.toMatch(/[0-9a-f]{64}/);
  });
});
