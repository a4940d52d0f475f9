import request from 'supertest';
import { queueId } from '../../src/simulator/seed-ids.js';
import { TenantTokenKeys } from '../../src/tenant-tokens/signing-keys.js';
import { TenantTokenIssuer } from '../../src/tenant-tokens/token-issuer.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionsOf, keys, tenantYaml, testTenantFiles, testTenants } from '../support/tenants.js';

const secret = 'integration-token-secret-0123456789-abc';
const nextSecret = 'next-integration-token-secret-0123456789';
const invalidClient = { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' };
const basic = (id: string, key: string) => `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`;

type Listing = { entities: { id: string; division: { id: string } }[] };

function exchange(h: Harness, authorization: string | undefined, body = 'grant_type=client_credentials', contentType = 'application/x-www-form-urlencoded') {
  const req = request(h.url).post('/oauth/token').set('Content-Type', contentType);
  if (authorization !== undefined) req.set('Authorization', authorization);
  return req.send(body);
}

async function tokenFor(h: Harness, id: string, key: string): Promise<string> {
  const res = await exchange(h, basic(id, key)).expect(200);
  return (res.body as { access_token: string }).access_token;
}

const queues = (h: Harness, token: string) => request(h.url).get('/api/v2/routing/queues?pageSize=100').set('Authorization', `Bearer ${token}`);

function refusedWith(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ message: expect.any(String), code, status, contextId: expect.any(String) });
}

describe('client-credentials tokens issued by the proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { TENANT_TOKEN_SECRET: secret } });
  });
  afterAll(() => h.close());
  afterEach(() => h.gateway.tenants.replace(testTenants()));

  it('exchanges a key id and key for a bearer token, answered as Genesys’s login host does', async () => {
    const res = await exchange(h, basic('acme-1', keys.acme)).expect(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'bearer', expires_in: 3600 });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('serves the token’s tenant, and only its divisions', async () => {
    const res = await queues(h, await tokenFor(h, 'acme-1', keys.acme)).expect(200);
    const divisions = new Set((res.body as Listing).entities.map((queue) => queue.division.id));
    expect(divisions.size).toBeGreaterThan(0);
    expect([...divisions].every((id) => (divisionsOf.acme as readonly string[]).includes(id))).toBe(true);
    refusedWith(await request(h.url).get(`/api/v2/routing/queues/${queueId(3, 1)}`).set('Authorization', `Bearer ${await tokenFor(h, 'acme-1', keys.acme)}`), 404, 'not.found');
  });

  it.each([
    ['a wrong key', basic('acme-1', keys.globex)],
    ['an unknown key id', basic('nobody-1', keys.acme)],
    ['an expired key', basic('acme-old', keys.expired)],
    ['no Authorization header', undefined],
    ['a Bearer header', `Bearer ${keys.acme}`],
    ['Basic credentials that are not base64', 'Basic %%%'],
    ['Basic credentials without a colon', `Basic ${Buffer.from('acme-1').toString('base64')}`],
    ['an empty key', basic('acme-1', '')],
  ])('refuses %s with the same invalid_client answer', async (_case, authorization) => {
    const res = await exchange(h, authorization).expect(400);
    expect(res.body).toEqual(invalidClient);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a grant other than client_credentials', async () => {
    const res = await exchange(h, basic('acme-1', keys.acme), 'grant_type=password&username=a&password=b').expect(400);
    expect(res.body).toMatchObject({ error: 'unsupported_grant_type' });
    expect(res.body.description).toBe(res.body.error_description);
    expect((await exchange(h, basic('acme-1', keys.acme), '').expect(400)).body).toMatchObject({ error: 'invalid_request' });
  });

  it('checks the client before the grant, so an unknown client learns nothing', async () => {
    expect((await exchange(h, basic('acme-1', 'gdp_wrong'), 'grant_type=password').expect(400)).body).toEqual(invalidClient);
  });

  it('answers 415 to a body that is not a form, and 413 to an oversized one', async () => {
    const json = await exchange(h, basic('acme-1', keys.acme), JSON.stringify({ grant_type: 'client_credentials' }), 'application/json').expect(415);
    expect(json.body).toMatchObject({ error: 'invalid_request' });
    const large = await exchange(h, basic('acme-1', keys.acme), `grant_type=client_credentials&pad=${'x'.repeat(5000)}`).expect(413);
    expect(large.body).toMatchObject({ error: 'invalid_request' });
  });

  it('accepts a charset parameter on the form content type', async () => {
    await exchange(h, basic('acme-1', keys.acme), 'grant_type=client_credentials', 'application/x-www-form-urlencoded; charset=UTF-8').expect(200);
  });

  it('serves only POST on /oauth/token; other methods need a tenant credential like any path', async () => {
    refusedWith(await request(h.url).get('/oauth/token'), 401, 'authentication.required');
  });

  it('refuses a token whose signature or payload was changed', async () => {
    const [header, payload, signature] = (await tokenFor(h, 'acme-1', keys.acme)).split('.') as [string, string, string];
    const flipped = signature.slice(0, 3) + (signature[3] === 'A' ? 'B' : 'A') + signature.slice(4);
    refusedWith(await queues(h, [header, payload, flipped].join('.')), 401, 'bad.credentials');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, sub: 'globex', key: 'globex-1' })).toString('base64url');
    refusedWith(await queues(h, [header, widened, signature].join('.')), 401, 'bad.credentials');
  });

  it('answers credentials.expired to a token past its expiry', async () => {
    const issuedTwoHoursAgo = await new TenantTokenIssuer(new TenantTokenKeys(secret), 3600).issue(testTenants().keyById('acme-1')!, Date.now() - 7200_000);
    refusedWith(await queues(h, issuedTwoHoursAgo!.accessToken), 401, 'credentials.expired');
  });

  it('refuses a token signed with a secret the proxy does not know', async () => {
    const foreign = await new TenantTokenIssuer(new TenantTokenKeys('somebody-elses-secret-0123456789-abcdef'), 3600).issue(testTenants().keyById('acme-1')!, Date.now());
    refusedWith(await queues(h, foreign!.accessToken), 401, 'bad.credentials');
  });

  it('stops honouring a token as soon as its key is removed from the tenant files', async () => {
    const token = await tokenFor(h, 'acme-1', keys.acme);
    await queues(h, token).expect(200);
    const files = testTenantFiles().map((f) => (f.file === 'acme.yaml' ? { file: f.file, text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-2', key: 'gdp_second_acme_key_00000000000000000000' }]) } : f));
    h.gateway.tenants.replace(buildRegistry(files));
    refusedWith(await queues(h, token), 401, 'bad.credentials');
    expect(h.logLines.some((line) => line.includes('"denied":"revoked key"'))).toBe(true);
  });

  it('applies a division change to tokens already issued', async () => {
    const token = await tokenFor(h, 'acme-1', keys.acme);
    const narrowed = testTenantFiles().map((f) => (f.file === 'acme.yaml' ? { file: f.file, text: tenantYaml('acme', [divisionsOf.acme[1]], [{ id: 'acme-1', key: keys.acme }]) } : f));
    h.gateway.tenants.replace(buildRegistry(narrowed));
    const res = await queues(h, token).expect(200);
    expect(new Set((res.body as Listing).entities.map((queue) => queue.division.id))).toEqual(new Set([divisionsOf.acme[1]]));
  });

  it('still takes API keys as Bearer values', async () => {
    await queues(h, keys.globex).expect(200);
    refusedWith(await queues(h, 'gdp_not_a_key'), 401, 'bad.credentials');
  });

  it('never sends the tenant’s token to Genesys', async () => {
    h.sim.requestLog.clear();
    const token = await tokenFor(h, 'globex-1', keys.globex);
    await queues(h, token).expect(200);
    const upstream = h.sim.requestLog.all();
    expect(upstream.some((r) => r.path === '/api/v2/routing/queues')).toBe(true);
    for (const r of upstream) {
      const seen = JSON.stringify(r);
      expect(seen).not.toContain(token);
      expect(seen).not.toContain(token.split('.')[2]);
      expect(seen).not.toContain(keys.globex);
    }
    expect(upstream.some((r) => r.path === '/oauth/token' && r.headers.authorization === basic('globex-1', keys.globex))).toBe(false);
  });

  it('never logs the key, the Basic credential or the token, and audits who exchanged', async () => {
    const before = h.logLines.length;
    const token = await tokenFor(h, 'globex-1', keys.globex);
    await queues(h, token).expect(200);
    await exchange(h, basic('globex-1', 'gdp_a_wrong_guess')).expect(400);
    const lines = h.logLines.slice(before);
    const text = lines.join('\n');
    for (const secretText of [keys.globex, token, token.split('.')[2]!, basic('globex-1', keys.globex).slice(6), 'gdp_a_wrong_guess', secret]) {
      expect(text).not.toContain(secretText);
    }
    const audits = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.log === 'audit');
    expect(audits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/oauth/token', status: 200, tenant: 'globex', keyId: 'globex-1' }),
        expect.objectContaining({ path: '/api/v2/routing/queues', status: 200, tenant: 'globex', keyId: 'globex-1' }),
        expect.objectContaining({ path: '/oauth/token', status: 400, denied: 'token exchange: wrong key' }),
      ]),
    );
  });
});

describe('the token signing secret', () => {
  it('keeps tokens signed with the previous secret valid after a rotation', async () => {
    const before = await startHarness({ env: { TENANT_TOKEN_SECRET: secret } });
    let token: string;
    try {
      token = await tokenFor(before, 'acme-1', keys.acme);
    } finally {
      await before.close();
    }
    const rotated = await startHarness({ env: { TENANT_TOKEN_SECRET: nextSecret, TENANT_TOKEN_PREVIOUS_SECRETS: secret } });
    try {
      await queues(rotated, token).expect(200);
      const fresh = await tokenFor(rotated, 'acme-1', keys.acme);
      expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString('utf8')).kid).not.toBe(
        JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')).kid,
      );
    } finally {
      await rotated.close();
    }
    const afterRotation = await startHarness({ env: { TENANT_TOKEN_SECRET: nextSecret } });
    try {
      refusedWith(await queues(afterRotation, token), 401, 'bad.credentials');
    } finally {
      await afterRotation.close();
    }
  });

  it('warns when no secret is set, and then tokens from another process are refused', async () => {
    const first = await startHarness();
    const second = await startHarness();
    try {
      expect(first.logLines.some((line) => line.includes('TENANT_TOKEN_SECRET is not set'))).toBe(true);
      const token = await tokenFor(first, 'acme-1', keys.acme);
      await queues(first, token).expect(200);
      refusedWith(await queues(second, token), 401, 'bad.credentials');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('does not warn when the secret is set', async () => {
    const h = await startHarness({ env: { TENANT_TOKEN_SECRET: secret, TENANT_TOKEN_TTL_SECONDS: '120' } });
    try {
      expect(h.logLines.some((line) => line.includes('TENANT_TOKEN_SECRET'))).toBe(false);
      expect((await exchange(h, basic('globex-1', keys.globex)).expect(200)).body.expires_in).toBe(120);
    } finally {
      await h.close();
    }
  });
});
