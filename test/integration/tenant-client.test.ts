import request from 'supertest';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/index.js';
import type { SeededOrg } from '../../src/simulator/index.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import type { TenantRegistry } from '../../src/tenants/tenant-registry.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionsOf, keys, tenantYaml } from '../support/tenants.js';

const SECRET_ENV = 'GDP_TEST_ACME_GENESYS_SECRET';
const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';

/** Acme has its own Genesys client, granted only in its divisions; Globex uses the proxy's. */
function tenantsWithAcmeClient(): TenantRegistry {
  return buildRegistry([
    { file: 'acme.yaml', text: `${tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }])}genesys:\n  clientId: bpo-acme\n  clientSecretFrom: { env: ${SECRET_ENV} }\n` },
    { file: 'globex.yaml', text: tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]) },
  ]);
}

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
    expect(leaking).toEqual(expect.arrayContaining(['queue by id', 'user by id', 'queue members', 'users', 'conversation by id']));
  });

  it('sends Acme’s requests with Acme’s client and everything else with the proxy’s', async () => {
    expect(h.sim.tokens.issuedCount('bpo-acme')).toBe(1);
    expect(h.sim.tokens.issuedCount('sim-client-id')).toBe(1);
  });
});
