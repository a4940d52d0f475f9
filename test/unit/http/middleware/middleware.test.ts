import { GatewayError } from '../../../../src/errors.js';
import { authenticate } from '../../../../src/http/middleware/authenticate.js';
import { correlation } from '../../../../src/http/middleware/correlation.js';
import { divisionNarrowing } from '../../../../src/http/middleware/division-narrowing.js';
import { rateLimit } from '../../../../src/http/middleware/rate-limit.js';
import { requestGuard } from '../../../../src/http/middleware/request-guard.js';
import { routePolicy } from '../../../../src/http/middleware/route-policy.js';
import { Metrics } from '../../../../src/metrics/metrics.js';
import { compilePolicy } from '../../../../src/scoping/policy.js';
import { policyTable } from '../../../../src/scoping/policy-table.js';
import type { RateLimitDecision, RateLimiter } from '../../../../src/state/rate-limits/rate-limiter.js';
import { fakeExchange, type FakeExchange } from '../../../support/fake-exchange.js';
import { divisionsOf, keys, testTenants } from '../../../support/tenants.js';

async function refusal(exchange: FakeExchange, middleware: Parameters<FakeExchange['run']>[0]): Promise<GatewayError> {
  const error = await exchange.run(middleware).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

const tenants = testTenants();

/** An exchange that got through authentication as `tenant`. */
async function authenticated(tenant: keyof typeof keys, options: Parameters<typeof fakeExchange>[0] = {}): Promise<FakeExchange> {
  const exchange = fakeExchange({ ...options, headers: [...(options.headers ?? []), ['X-API-Key', keys[tenant]]] });
  expect(await exchange.run(authenticate({ tenants: () => tenants }))).toBe(true);
  return exchange;
}

describe('correlation', () => {
  it('adopts a plain caller id and replaces one shaped like a credential', async () => {
    const plain = fakeExchange({ headers: [['inin-correlation-id', 'abc-12345']] });
    await plain.run(correlation());
    expect(plain.state.correlationId).toBe('abc-12345');
    expect(plain.headersSet['inin-correlation-id']).toBe('abc-12345');
    const jwt = fakeExchange({ headers: [['inin-correlation-id', 'aaaaaaaa.bbbbbbbb.cccccccc']] });
    await jwt.run(correlation());
    expect(jwt.state.correlationId).not.toContain('aaaaaaaa');
  });
});

describe('request guard', () => {
  it.each([
    ['a dot segment', { url: '/api/v2/routing/../queues' }, 'path.not.canonical'],
    ['a method override', { url: '/api/v2/routing/queues', headers: [['X-HTTP-Method-Override', 'DELETE']] }, 'bad.request'],
    ['an underscore header', { url: '/api/v2/routing/queues', headers: [['X_API_KEY', 'k']] }, 'bad.request'],
    ['two Host headers', { url: '/api/v2/routing/queues', headers: [['Host', 'a'], ['Host', 'b']] }, 'bad.request'],
  ] as const)('refuses %s and records why', async (_name, options, code) => {
    const error = await refusal(fakeExchange(options as Parameters<typeof fakeExchange>[0]), requestGuard());
    expect(error.code).toBe(code);
    expect(error.audit).toEqual(expect.any(String));
  });

  it('passes a canonical request on with its path and query', async () => {
    const exchange = fakeExchange({ url: '/api/v2/routing/queues?pageSize=5' });
    expect(await exchange.run(requestGuard())).toBe(true);
    expect({ path: exchange.state.path, query: exchange.state.rawQuery }).toEqual({ path: '/api/v2/routing/queues', query: 'pageSize=5' });
  });
});

describe('authenticate', () => {
  it('refuses a request without a credential, and one with two', async () => {
    const none = await refusal(fakeExchange(), authenticate({ tenants: () => tenants }));
    expect({ code: none.code, audit: none.audit }).toEqual({ code: 'authentication.required', audit: 'no credential' });
    const both = fakeExchange({ headers: [['X-API-Key', keys.acme], ['Authorization', `Bearer ${keys.acme}`]] });
    expect((await refusal(both, authenticate({ tenants: () => tenants }))).code).toBe('bad.request');
  });

  it('refuses an unknown and an expired key with different audit reasons', async () => {
    const unknown = await refusal(fakeExchange({ headers: [['X-API-Key', 'gdp_nobody']] }), authenticate({ tenants: () => tenants }));
    expect({ code: unknown.code, audit: unknown.audit }).toEqual({ code: 'bad.credentials', audit: 'unknown key' });
    const expired = await refusal(fakeExchange({ headers: [['X-API-Key', keys.expired]] }), authenticate({ tenants: () => tenants }));
    expect({ code: expired.code, audit: expired.audit }).toEqual({ code: 'credentials.expired', audit: 'expired key' });
  });

  it('gives a known key its tenant’s scope', async () => {
    const exchange = await authenticated('acme');
    expect(exchange.state.scope).toEqual({ tenantId: 'acme', divisionIds: divisionsOf.acme, divisions: new Set(divisionsOf.acme) });
  });
});

describe('route policy', () => {
  const policy = compilePolicy(policyTable);

  it('refuses a route outside the table', async () => {
    const exchange = await authenticated('acme', { method: 'GET' });
    exchange.state.path = '/api/v2/routing/skills';
    const error = await refusal(exchange, routePolicy(policy));
    expect({ code: error.code, audit: error.audit }).toEqual({ code: 'route.not.allowed', audit: 'route not in the policy table' });
  });

  it('refuses a write by a read-only tenant and lets a read-write one through', async () => {
    const readOnly = await authenticated('acme', { method: 'DELETE' });
    readOnly.state.path = '/api/v2/routing/queues/a0000001-0000-4000-8000-000000000001';
    expect((await refusal(readOnly, routePolicy(policy))).audit).toBe('write by a read-only tenant');
    const readWrite = await authenticated('globex', { method: 'DELETE' });
    readWrite.state.path = readOnly.state.path;
    expect(await readWrite.run(routePolicy(policy))).toBe(true);
    expect(readWrite.state.match?.route.rule.path).toBe('/api/v2/routing/queues/{queueId}');
  });
});

describe('division narrowing', () => {
  it('narrows to some of the tenant’s divisions and refuses a foreign one', async () => {
    const narrowed = await authenticated('acme', { headers: [['X-Division-Id', divisionsOf.acme[1]]] });
    expect(await narrowed.run(divisionNarrowing())).toBe(true);
    expect(narrowed.state.scope?.divisionIds).toEqual([divisionsOf.acme[1]]);
    const foreign = await authenticated('acme', { headers: [['X-Division-Id', divisionsOf.globex[0]]] });
    const error = await refusal(foreign, divisionNarrowing());
    expect({ code: error.code, audit: error.audit }).toEqual({ code: 'not.authorized', audit: 'X-Division-Id names a foreign division' });
  });
});

describe('rate limit', () => {
  class FixedLimiter implements RateLimiter {
    readonly asked: unknown[] = [];
    constructor(readonly decision: RateLimitDecision) {}
    async take(request: unknown): Promise<RateLimitDecision> {
      this.asked.push(request);
      return this.decision;
    }
    async spend(): Promise<void> {}
  }
  const options = (limiter: RateLimiter) => ({ limiter, defaultTenantPerMinute: 60, metrics: new Metrics() });

  it('charges the tenant’s own limit once per request (the Genesys budget is charged per call)', async () => {
    const limiter = new FixedLimiter({ allowed: true });
    const exchange = await authenticated('acme');
    expect(await exchange.run(rateLimit(options(limiter)))).toBe(true);
    expect(limiter.asked).toEqual([{ tenantId: 'acme', tenantPerMinute: 60 }]);
  });

  it('refuses with Retry-After and the limit that was hit', async () => {
    const exchange = await authenticated('acme');
    const error = await refusal(exchange, rateLimit(options(new FixedLimiter({ allowed: false, limit: 'tenant', retryAfterSeconds: 7 }))));
    expect({ code: error.code, retryAfter: error.retryAfter, audit: error.audit }).toEqual({ code: 'too.many.requests', retryAfter: 7, audit: 'tenant rate limit' });
  });
});
