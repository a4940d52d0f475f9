import { randomUUID } from 'node:crypto';
import type { FaultRule, LoggedRequest } from '../../src/simulator/index.js';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { expectNoLeak, type TestTenant } from '../support/leaks.js';
import { rawSocketRequest, type RawRequestSpec, type RawSocketResponse } from '../support/raw-socket.js';
import { TestRedisServer } from '../support/redis-server.js';
import { keys } from '../support/tenants.js';
import { genesysTokensSeen, logCursor, upstreamProblems } from '../support/upstream-audit.js';
import { eventually } from '../support/wait.js';

/**
 * Genesys and Redis misbehaving, against the four kinds of route: scoped (one call, parsed and
 * filtered), chunked (queue observations, several calls merged), wrapup (wrap-up codes of one
 * owned queue, filtered by their own division) and write (a queue update). Each fault gets a defined Genesys-shaped answer,
 * leaks nothing, and the next request after the fault is served again without a restart.
 */

const OBSERVATIONS = '/api/v2/analytics/queues/observations/query';
const WRAPUP_QUEUE = queueId(1, 1);
const WRITTEN_QUEUE = queueId(3, 2);
const observationBody = JSON.stringify({ filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting'] });
const writeBody = JSON.stringify({ name: 'Globex Renamed', division: { id: divisionId(3) } });

type Kind = 'scoped' | 'chunked' | 'wrapup' | 'write';
interface Route {
  readonly tenant: TestTenant;
  readonly spec: RawRequestSpec;
  /** Where a fault aims so that it hits this route's own call and nothing else. */
  readonly fault: { readonly pathPrefix: string; readonly method: string };
  readonly read: boolean;
}

const routes: Record<Kind, Route> = {
  scoped: {
    tenant: 'acme',
    spec: { target: '/api/v2/routing/queues?pageSize=100', headers: [['X-API-Key', keys.acme]] },
    fault: { pathPrefix: '/api/v2/routing/queues', method: 'GET' },
    read: true,
  },
  chunked: {
    tenant: 'acme',
    spec: { method: 'POST', target: OBSERVATIONS, headers: [['X-API-Key', keys.acme], ['Content-Type', 'application/json'], ['Content-Length', String(observationBody.length)]], body: observationBody },
    fault: { pathPrefix: OBSERVATIONS, method: 'POST' },
    read: true,
  },
  wrapup: {
    tenant: 'acme',
    spec: { target: `/api/v2/routing/queues/${WRAPUP_QUEUE}/wrapupcodes`, headers: [['X-API-Key', keys.acme], ['Accept-Encoding', 'gzip']] },
    fault: { pathPrefix: `/api/v2/routing/queues/${WRAPUP_QUEUE}/wrapupcodes`, method: 'GET' },
    read: true,
  },
  write: {
    tenant: 'globex',
    spec: { method: 'PUT', target: `/api/v2/routing/queues/${WRITTEN_QUEUE}`, headers: [['X-API-Key', keys.globex], ['Content-Type', 'application/json'], ['Content-Length', String(writeBody.length)]], body: writeBody },
    fault: { pathPrefix: `/api/v2/routing/queues/${WRITTEN_QUEUE}`, method: 'PUT' },
    read: false,
  },
};
const KINDS = Object.keys(routes) as Kind[];

interface Expected {
  readonly status: number;
  readonly code?: string;
  readonly retryAfter?: string;
}

/** What each fault must turn into, per kind of route. */
const faults: { readonly name: string; readonly rule: FaultRule; readonly expect: (kind: Kind) => Expected }[] = [
  { name: 'a Genesys 500', rule: { kind: 'status', status: 500 }, expect: () => ({ status: 502, code: 'upstream.error' }) },
  { name: 'a Genesys 503', rule: { kind: 'status', status: 503 }, expect: () => ({ status: 502, code: 'upstream.error' }) },
  { name: 'a Genesys 504', rule: { kind: 'status', status: 504 }, expect: () => ({ status: 504, code: 'upstream.timeout' }) },
  {
    name: 'a 429 asking for 30 s',
    rule: { kind: 'rateLimit', retryAfterSeconds: 30 },
    expect: () => ({ status: 429, code: 'upstream.rate.limited', retryAfter: '30' }),
  },
  {
    name: 'one 429 asking for 1 s',
    rule: { kind: 'rateLimit', retryAfterSeconds: 1, times: 1 },
    // Reads wait and retry once; writes never retry.
    expect: (kind) => (kind !== 'write' ? { status: 200 } : { status: 429, code: 'upstream.rate.limited', retryAfter: '1' }),
  },
  { name: 'truncated JSON', rule: { kind: 'malformedJson' }, expect: () => ({ status: 502, code: 'upstream.bad.response' }) },
  { name: 'an HTML page', rule: { kind: 'wrongContentType' }, expect: () => ({ status: 502, code: 'upstream.bad.response' }) },
  { name: 'a gzip body', rule: { kind: 'gzip', encoding: 'gzip' }, expect: () => ({ status: 200 }) },
  { name: 'a deflate body', rule: { kind: 'gzip', encoding: 'deflate' }, expect: () => ({ status: 200 }) },
  { name: 'a brotli body', rule: { kind: 'gzip', encoding: 'br' }, expect: () => ({ status: 200 }) },
  { name: 'an answer slower than the timeout', rule: { kind: 'delay', ms: 1500 }, expect: () => ({ status: 504, code: 'upstream.timeout' }) },
  { name: 'a connection reset mid-body', rule: { kind: 'reset' }, expect: () => ({ status: 502, code: 'upstream.unreachable' }) },
  { name: 'a connection reset before the headers', rule: { kind: 'reset', resetBeforeHeaders: true }, expect: () => ({ status: 502, code: 'upstream.unreachable' }) },
];

function expectGenesysError(res: RawSocketResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.json()).toEqual({ message: expect.any(String), code, status, contextId: res.header('inin-correlation-id') });
}

function expectClean(h: Harness, tenant: TestTenant, res: RawSocketResponse, where: string, calls: () => LoggedRequest[], mayNameHome = false): void {
  const seen = `${res.head}\n${res.text()}`;
  expectNoLeak(tenant, seen, where, h.sim.org, { mayNameHome });
  for (const secret of [...genesysTokensSeen(h.sim.requestLog), h.settings.genesys.clientSecret, ...Object.values(keys)]) expect(seen).not.toContain(secret);
  expect(upstreamProblems(calls(), Object.values(keys))).toEqual([]);
}

async function send(h: Harness, kind: Kind): Promise<RawSocketResponse> {
  return rawSocketRequest(h.url, routes[kind].spec, { timeoutMs: 8000 });
}

describe('Genesys faults on every kind of route', () => {
  let h: Harness;
  beforeAll(async () => {
    // 60 queues a division: acme's 120 queues take two observation queries, merged.
    h = await startHarness({
      simulator: { seed: { queuesPerDivision: 60 } },
      env: { UPSTREAM_TIMEOUT_MS: '800', UPSTREAM_REQUESTS_PER_MINUTE: '1000000', DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000000' },
    });
    // Directories and the token are loaded before any fault, so each fault hits the route's own call.
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  it('queries acme’s queue observations in two chunks when nothing is wrong', async () => {
    const calls = logCursor(h.sim.requestLog);
    expect((await send(h, 'chunked')).status).toBe(200);
    expect(calls().filter((call) => call.path === OBSERVATIONS)).toHaveLength(2);
  });

  const matrix = faults.flatMap((fault) => KINDS.map((kind) => [fault.name, kind, fault] as const));
  it.each(matrix)('turns %s on the %s route into its defined answer, then serves again', async (name, kind, fault) => {
    const route = routes[kind];
    const calls = logCursor(h.sim.requestLog);
    h.sim.faults.add({ ...route.fault, ...fault.rule });
    const res = await send(h, kind);
    const expected = fault.expect(kind);
    if (expected.code) expectGenesysError(res, expected.status, expected.code);
    else expect(res.status).toBe(expected.status);
    if (expected.retryAfter) expect(res.header('retry-after')).toBe(expected.retryAfter);
    expect(res.complete).toBe(true);
    expectClean(h, route.tenant, res, `${name} on ${kind}`, calls, kind === 'wrapup');
    if (kind === 'write') expect(calls().filter((call) => call.method === 'PUT')).toHaveLength(1);

    h.sim.faults.clear();
    const again = await send(h, kind);
    expect(again.status).toBe(200);
    expectClean(h, route.tenant, again, `${kind} after ${name}`, calls, kind === 'wrapup');
  });

  it('fails the whole chunked answer when one of its chunks fails, never answering half', async () => {
    h.sim.faults.add({ ...routes.chunked.fault, kind: 'status', status: 500, times: 1 });
    const res = await send(h, 'chunked');
    expectGenesysError(res, 502, 'upstream.error');
  });

  it('scopes the answer when Genesys ignores the division filter it was sent', async () => {
    h.sim.faults.add({ kind: 'ignoreDivisionFilter' });
    const calls = logCursor(h.sim.requestLog);
    const res = await send(h, 'scoped');
    expect(res.status).toBe(200);
    const listing = res.json() as { entities: { division: { id: string } }[]; total: number };
    expect(new Set(listing.entities.map((queue) => queue.division.id))).toEqual(new Set([divisionId(1), divisionId(2)]));
    expect(listing.total).toBeLessThanOrEqual(120);
    expectClean(h, 'acme', res, 'ignoreDivisionFilter', calls);
  });

  it('decodes a gzipped wrap-up code listing and scopes it like any other answer', async () => {
    h.sim.faults.add({ ...routes.wrapup.fault, kind: 'gzip', encoding: 'gzip' });
    const res = await send(h, 'wrapup');
    expect(res.status).toBe(200);
    expect(res.header('content-encoding')).toBeUndefined();
    const listing = res.json() as { entities: { division: { id: string } }[]; total: number };
    for (const code of listing.entities) expect([divisionId(1), divisionId(2)]).toContain(code.division.id);
    expect(listing.total).toBe(listing.entities.length);
  });

  it('keeps a directory it has when its reload fails, and still answers the id checks', async () => {
    h.sim.faults.add({ kind: 'status', status: 500, pathPrefix: '/api/v2/routing/queues/divisionviews/all' });
    await h.gateway.directories.queues.refresh().catch(() => undefined);
    const res = await send(h, 'wrapup');
    expect(res.status).toBe(200);
  });
});

describe('the Genesys token endpoint failing', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  async function start(): Promise<Harness> {
    return startHarness({ env: { UPSTREAM_TIMEOUT_MS: '1500', UPSTREAM_REQUESTS_PER_MINUTE: '1000000', DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000000' } });
  }

  it.each([['answering 503', 'status'] as const, ['resetting the connection', 'reset'] as const])(
    'answers 503 with Retry-After on every kind of route while login is down from the start (%s), then recovers by itself',
    async (_name, mode) => {
      h = await start();
      h.sim.faults.add({ kind: 'tokenDown', mode });
      for (const kind of KINDS) {
        const calls = logCursor(h.sim.requestLog);
        const res = await send(h, kind);
        expectGenesysError(res, 503, 'genesys.token.unavailable');
        expect(Number(res.header('retry-after'))).toBeGreaterThan(0);
        expectClean(h, routes[kind].tenant, res, `token down on ${kind}`, calls);
      }
      h.sim.faults.clear();
      await eventually(async () => expect((await send(h, 'scoped')).status).toBe(200), { timeoutMs: 10_000, intervalMs: 200 });
      for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
    },
  );

  it('keeps serving with the token it holds when login goes down mid-run, and answers 503 only once that token is revoked', async () => {
    h = await start();
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
    h.sim.faults.add({ kind: 'tokenDown' });
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
    h.sim.tokens.revokeAll();
    const res = await send(h, 'scoped');
    expectGenesysError(res, 503, 'genesys.token.unavailable');
    h.sim.faults.clear();
    await eventually(async () => expect((await send(h, 'scoped')).status).toBe(200), { timeoutMs: 10_000, intervalMs: 200 });
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
  });

  it('replaces a revoked token on every kind of route without the tenant noticing', async () => {
    h = await start();
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
    for (const kind of KINDS) {
      h.sim.tokens.revokeAll();
      const calls = logCursor(h.sim.requestLog);
      const res = await send(h, kind);
      expect(res.status).toBe(200);
      expect(calls().filter((call) => call.path === '/oauth/token')).toHaveLength(1);
      expectClean(h, routes[kind].tenant, res, `revoked token on ${kind}`, calls, kind === 'wrapup');
    }
  });

  it('answers 503, never 401 and never a hint of the secret, when Genesys refuses the proxy’s credentials', async () => {
    h = await start();
    h.sim.faults.add({ kind: 'tokenRefuse' });
    for (const kind of KINDS) {
      const res = await send(h, kind);
      expectGenesysError(res, 503, 'genesys.token.unavailable');
      expect(res.text()).not.toContain('sim-client');
    }
  });
});

describe('Redis stopping and coming back', () => {
  let redis: TestRedisServer;
  let h: Harness;
  beforeAll(async () => {
    redis = await TestRedisServer.start();
    h = await startHarness({
      env: {
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `gdp-fault:${randomUUID()}:`,
        REDIS_COMMAND_TIMEOUT_MS: '100',
        UPSTREAM_REQUESTS_PER_MINUTE: '1000000',
        DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000000',
      },
    });
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(true));
  });
  afterAll(async () => {
    await h.close();
    await redis.stop();
  });

  it('serves every kind of route while Redis is down, binds jobs fail-closed, and uses Redis again when it is back', async () => {
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
    const jobBody = JSON.stringify({ interval: '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z' });
    const job = await rawSocketRequest(h.url, {
      method: 'POST',
      target: '/api/v2/analytics/conversations/details/jobs',
      headers: [['X-API-Key', keys.acme], ['Content-Type', 'application/json'], ['Content-Length', String(jobBody.length)]],
      body: jobBody,
    });
    const jobId = (job.json() as { jobId: string }).jobId;

    await redis.stop();
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(false));
    h.sim.tokens.revokeAll(); // the shared token is unreachable: the replica logs in on its own
    for (const kind of KINDS) {
      const calls = logCursor(h.sim.requestLog);
      const res = await send(h, kind);
      expect(res.status).toBe(200);
      expectClean(h, routes[kind].tenant, res, `${kind} with Redis down`, calls, kind === 'wrapup');
    }
    const foreignPoll = await rawSocketRequest(h.url, { target: `/api/v2/analytics/conversations/details/jobs/${jobId}`, headers: [['X-API-Key', keys.globex]] });
    expectGenesysError(foreignPoll, 404, 'not.found');
    const ready = await rawSocketRequest(h.url, { target: '/readyz', headers: [] });
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded' });

    await redis.restart();
    await eventually(() => expect(h.gateway.redis?.isUp).toBe(true), { timeoutMs: 10_000 });
    for (const kind of KINDS) expect((await send(h, kind)).status).toBe(200);
    expect((await rawSocketRequest(h.url, { target: '/readyz', headers: [] })).json()).toMatchObject({ status: 'ready' });
    expect(h.logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
  });
});
