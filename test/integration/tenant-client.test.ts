import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/index.js';
import type { SeededOrg } from '../../src/simulator/index.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import type { TenantRegistry } from '../../src/tenants/tenant-registry.js';
import { startHarness, startReplica, type Harness, type Replica } from '../support/harness.js';
import { eventually } from '../support/wait.js';
import { divisionsOf, keys, tenantYaml } from '../support/tenants.js';
import { testRedisUrl } from '../support/redis-server.js';

const SECRET_ENV = 'GDP_TEST_ACME_GENESYS_SECRET';
const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';

const acmeYaml = (clientId = 'bpo-acme') =>
  `${tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }])}genesys:\n  clientId: ${clientId}\n  clientSecretFrom: { env: ${SECRET_ENV} }\n`;
const globexYaml = () => tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]);

/** Acme has its own Genesys client, granted only in its divisions; Globex uses the proxy's. */
function tenantsWithAcmeClient(): TenantRegistry {
  return buildRegistry([
    { file: 'acme.yaml', text: acmeYaml() },
    { file: 'globex.yaml', text: globexYaml() },
  ]);
}

const acmeClient = { clientId: 'bpo-acme', clientSecret: 'acme-genesys-secret', roleDivisions: [...divisionsOf.acme] };

interface Call {
  readonly row: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /**
   * Aggregates count a conversation for every division it touched, so a group may name the queue
   * or user on the other side of a conversation that crossed into the tenant's divisions: Genesys
   * draws the line at the conversation, and only the proxy's scoping drops such groups.
   */
  readonly conversationWide?: true;
}

/** One request per scoped read row, naming the tenant's own entities or, on by-id rows, another tenant's. */
function callsFor(own: number, foreign: number): Call[] {
  const conversation = (k: number) => conversationId(k, 5); // the fifth of a division crosses into the next one
  return [
    { row: 'queues', method: 'GET', path: '/api/v2/routing/queues?pageSize=100' },
    { row: 'divisionviews', method: 'GET', path: '/api/v2/routing/queues/divisionviews?pageSize=100&divisionId=*' },
    { row: 'divisionviews/all', method: 'GET', path: '/api/v2/routing/queues/divisionviews/all?pageSize=100' },
    { row: 'queue by id', method: 'GET', path: `/api/v2/routing/queues/${queueId(foreign, 1)}` },
    { row: 'queue members', method: 'GET', path: `/api/v2/routing/queues/${queueId(own, 1)}/members?pageSize=100` },
    { row: 'queue users', method: 'GET', path: `/api/v2/routing/queues/${queueId(own, 1)}/users?pageSize=100` },
    { row: 'queue wrap-up codes', method: 'GET', path: `/api/v2/routing/queues/${queueId(own, 1)}/wrapupcodes` },
    { row: 'users', method: 'GET', path: '/api/v2/users?pageSize=100' },
    { row: 'user by id', method: 'GET', path: `/api/v2/users/${userId(foreign, 1)}` },
    { row: 'divisions', method: 'GET', path: '/api/v2/authorization/divisions?pageSize=100' },
    { row: 'queue observations', method: 'POST', path: '/api/v2/analytics/queues/observations/query', body: { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting', 'oMemberUsers'] } },
    { row: 'conversation aggregates', method: 'POST', path: '/api/v2/analytics/conversations/aggregates/query', body: { interval, groupBy: ['queueId'], metrics: ['nOffered'] }, conversationWide: true },
    { row: 'conversation details', method: 'POST', path: '/api/v2/analytics/conversations/details/query', body: { interval, paging: { pageSize: 100, pageNumber: 1 } } },
    { row: 'conversation by id', method: 'GET', path: `/api/v2/analytics/conversations/${conversation(foreign)}/details` },
    { row: 'user observations', method: 'POST', path: '/api/v2/analytics/users/observations/query', body: { filter: { type: 'or', predicates: [{ dimension: 'userId', operator: 'exists' }] }, metrics: ['oUserPresences'] } },
    { row: 'user aggregates', method: 'POST', path: '/api/v2/analytics/users/aggregates/query', body: { interval, groupBy: ['userId'], metrics: ['tAgentRoutingStatus'] } },
  ];
}

/**
 * What in an answer belongs outside the tenant's divisions, as Genesys draws the line for a client
 * granted only in them: an entity whose `division` is foreign, a conversation none of whose
 * divisions is the tenant's, and a queue or user of another division named outside a conversation
 * (a conversation that touched the tenant's divisions is the tenant's to see whole, as in Genesys).
 */
function foreignIn(body: unknown, divisions: ReadonlySet<string>, org: SeededOrg): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value === 'string') {
      const entity = org.queue(value) ?? org.user(value);
      if (entity && !divisions.has(entity.division.id)) found.push(value);
      if (org.division(value) && !divisions.has(value)) found.push(value);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (Array.isArray(record['divisionIds'])) {
      if (!(record['divisionIds'] as string[]).some((id) => divisions.has(id))) found.push(String(record['conversationId']));
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(body);
  return found;
}

/** Every id named in a conversation that touched one of these divisions. */
function namedByConversationsOf(divisions: readonly string[], org: SeededOrg): Set<string> {
  const named = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') named.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  for (const conversation of org.conversations) if (conversation.divisionIds.some((id) => divisions.includes(id))) walk(conversation);
  return named;
}

describe('a tenant with its own role-scoped Genesys client, with the proxy’s response scoping switched off', () => {
  let h: Harness;
  beforeAll(async () => {
    process.env[SECRET_ENV] = 'acme-genesys-secret';
    h = await startHarness({
      simulator: { clients: [{ clientId: 'bpo-acme', clientSecret: 'acme-genesys-secret', roleDivisions: [...divisionsOf.acme] }] },
      tenants: tenantsWithAcmeClient(),
      unscopedTenants: new Set(['acme', 'globex']),
    });
  });
  afterAll(async () => {
    await h.close();
    delete process.env[SECRET_ENV];
  });

  const send = (key: string, call: Call) => {
    const req = call.method === 'GET' ? request(h.url).get(call.path) : request(h.url).post(call.path).send(call.body as object);
    return req.set('X-API-Key', key);
  };

  it.each(callsFor(2, 3).map((call) => [call.row, call] as const))('Acme still sees only its divisions on %s', async (_row, call) => {
    const res = await send(keys.acme, call);
    expect([200, 404]).toContain(res.status);
    const foreign = foreignIn(res.body, new Set(divisionsOf.acme), h.sim.org);
    if (call.conversationWide) expect(foreign.filter((id) => !namedByConversationsOf(divisionsOf.acme, h.sim.org).has(id))).toEqual([]);
    else expect(foreign).toEqual([]);
  });

  it('Globex, on the proxy’s own client, shows the leak the tenant client prevents', async () => {
    const leaking: string[] = [];
    for (const call of callsFor(3, 1)) {
      const res = await send(keys.globex, call);
      if (foreignIn(res.body, new Set(divisionsOf.globex), h.sim.org).length > 0) leaking.push(call.row);
    }
    // Ids in paths are refused from the proxy's own directory first, so the by-id rows do not leak even unscoped.
    expect(leaking).toEqual(expect.arrayContaining(['queue members', 'users', 'conversation by id']));
  });

  it('sends Acme’s requests with Acme’s client and everything else with the proxy’s', async () => {
    expect(h.sim.tokens.issuedCount('bpo-acme')).toBe(1);
    expect(h.sim.tokens.issuedCount('sim-client-id')).toBe(1);
  });

  it('counts each client’s logins in gdp_genesys_token_requests_total', async () => {
    const { values } = await h.gateway.metrics.tokenRequests.get();
    const logins = (client: string) => values.find((v) => v.labels['client'] === client && v.labels['outcome'] === 'success')?.value;
    expect(logins('bpo-acme')).toBe(1);
    expect(logins('proxy')).toBe(1);
  });
});

describe('tenant clients across replicas, reloads and the read cache', () => {
  let h: Harness | undefined;
  let b: Replica | undefined;
  let dir: string | undefined;
  beforeAll(() => {
    process.env[SECRET_ENV] = 'acme-genesys-secret';
  });
  afterEach(async () => {
    await b?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    h = b = dir = undefined;
  });
  afterAll(() => {
    delete process.env[SECRET_ENV];
  });

  it('two replicas sharing Redis make one login per client', async () => {
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: `gdp-test:${randomUUID()}:` };
    h = await startHarness({ env, simulator: { clients: [acmeClient] }, tenants: tenantsWithAcmeClient() });
    b = await startReplica(h, env, tenantsWithAcmeClient());
    await eventually(() => expect(h!.gateway.redis?.isUp && b!.gateway.redis?.isUp).toBe(true));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => request(i % 2 ? h!.url : b!.url).get('/api/v2/routing/queues').set('X-API-Key', i % 4 < 2 ? keys.acme : keys.globex).expect(200)),
    );
    expect(h.sim.tokens.issuedCount('bpo-acme')).toBe(1);
    expect(h.sim.tokens.issuedCount('sim-client-id')).toBe(1);
  });

  it('a tenant with its own client spends its own Genesys budget, across replicas', async () => {
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: `gdp-test:${randomUUID()}:`, UPSTREAM_REQUESTS_PER_MINUTE: '20', UPSTREAM_RESERVE_FRACTION: '0', DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000' };
    h = await startHarness({ env, simulator: { clients: [acmeClient] }, tenants: tenantsWithAcmeClient() });
    b = await startReplica(h, env, tenantsWithAcmeClient());
    await eventually(() => expect(h!.gateway.redis?.isUp && b!.gateway.redis?.isUp).toBe(true));
    const burst = (key: string) =>
      Promise.all(Array.from({ length: 30 }, (_, i) => request(i % 2 ? h!.url : b!.url).get(`/api/v2/routing/queues?pageSize=1&pageNumber=${i + 1}`).set('X-API-Key', key)));
    const globex = await burst(keys.globex);
    expect(globex.filter((r) => r.status === 200).length).toBeLessThanOrEqual(21);
    expect(globex.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(9);
    const acme = await burst(keys.acme);
    expect(acme.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(20);
  });

  it('reports a client that sees more divisions than its file lists: metric, readiness and log', async () => {
    const overGranted = { ...acmeClient, roleDivisions: [...divisionsOf.acme, divisionId(3)] };
    h = await startHarness({ simulator: { clients: [overGranted] }, tenants: tenantsWithAcmeClient() });
    const operations = await h.gateway.listenOperations(0, '127.0.0.1');
    try {
      await eventually(async () => {
        const metrics = await request(operations.url).get('/metrics').expect(200);
        expect(metrics.text).toContain('gdp_tenant_client_division_mismatch{tenant="acme",kind="extra"} 1');
      });
      const ready = await request(operations.url).get('/readyz').expect(200);
      expect(ready.body).toMatchObject({ status: 'degraded', checks: { tenantClients: expect.stringContaining('1 tenant client(s) see divisions') } });
      expect(JSON.stringify(ready.body)).not.toContain('acme');
      const line = h.logLines.find((text) => text.includes('sees divisions other than its tenant file lists'));
      expect(line).toContain(divisionId(3));
    } finally {
      await operations.close();
    }
  });

  it('a reload that gives a tenant its own client takes effect for the next request, and is checked', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gdp-tenant-client-'));
    await writeFile(path.join(dir, 'acme.yaml'), tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }]));
    h = await startHarness({ simulator: { clients: [acmeClient] }, tenantsDir: dir, unscopedTenants: new Set(['acme']) });
    const foreignUsers = async () => {
      const res = await request(h!.url).get('/api/v2/users?pageSize=100').set('X-API-Key', keys.acme).expect(200);
      return foreignIn(res.body, new Set(divisionsOf.acme), h!.sim.org).length;
    };
    expect(await foreignUsers()).toBeGreaterThan(0); // the proxy's client, unscoped: the leak
    await writeFile(path.join(dir, 'acme.yaml'), acmeYaml());
    await eventually(async () => expect(await foreignUsers()).toBe(0));
    expect(h.sim.tokens.issuedCount('bpo-acme')).toBe(1);
    await eventually(() => expect(h!.logLines.some((text) => text.includes('tenant client sees exactly its tenant file'))).toBe(true));
  });

  it('never answers a tenant client’s read from an answer the proxy’s client obtained', async () => {
    const tenants = buildRegistry([{ file: 'acme.yaml', text: acmeYaml() }, { file: 'globex.yaml', text: globexYaml() }]);
    h = await startHarness({ env: { READ_CACHE_TTL_MS: '60000' }, simulator: { clients: [acmeClient] }, tenants, unscopedTenants: new Set(['acme', 'globex']) });
    const queue = (key: string) => request(h!.url).get(`/api/v2/routing/queues/${queueId(3, 1)}`).set('X-API-Key', key);
    expect((await queue(keys.globex)).status).toBe(200);
    expect((await queue(keys.globex)).status).toBe(200);
    expect((await queue(keys.acme)).status).toBe(404);
  });

  it('each client has its own 401 handling and back-off: a refused tenant client stops only its tenant', async () => {
    h = await startHarness({ simulator: { clients: [{ ...acmeClient, clientSecret: 'rotated-in-genesys' }] }, tenants: tenantsWithAcmeClient() });
    const acme = await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(503);
    expect(acme.body).toMatchObject({ code: 'genesys.token.unavailable' });
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).expect(200);
    h.sim.addClient(acmeClient);
    h.sim.tokens.revokeAll();
    await eventually(async () => {
      await request(h!.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
    });
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.globex).expect(200);
    expect(h.sim.tokens.issuedCount('sim-client-id')).toBe(2); // the proxy's token was revoked too, and replaced once
  });
});
