import { benchTenants, SEED } from '../../../bench/fixture.js';
import { connectionShare, largeScenario, proxyRequest, scenarios, tenantRequests, upstreamRequest, type Scenario, type TenantRequest } from '../../../bench/scenarios.js';
import { pathAndQueryOf } from '../../../src/executor/upstream-calls.js';
import { conversationDetailQuerySchema, queueObservationQuerySchema } from '../../../src/scoping/filters/analytics-schemas.js';
import { restrictDetailsBody } from '../../../src/scoping/filters/conversations.js';
import { planQueueObservations } from '../../../src/scoping/filters/queue-observations.js';
import { policyTable } from '../../../src/scoping/policy-table.js';
import { compileQuerySpec, parseQuery } from '../../../src/scoping/query.js';
import { restrictDivisionIdParam } from '../../../src/scoping/request-scopers.js';
import { SeededOrg } from '../../../src/simulator/index.js';
import { entry, factsOf, inputOf } from '../../support/scoping.js';

const CONNECTIONS = 50;
const { bpos } = benchTenants();
const all = scenarios();
const distinct = all.filter((scenario) => scenario.requests === 'distinct');
const byId = (id: string) => all.find((scenario) => scenario.id === id)!;
const sameRequest = (request: TenantRequest) => JSON.stringify(proxyRequest(request));

const org = new SeededOrg(SEED);
const facts = factsOf(
  org.queues.map((queue) => entry(queue.id, queue.division.id, queue.name)),
  org.users.map((user) => entry(user.id, user.division.id, user.name)),
);
const scopeOf = (request: TenantRequest) => ({ tenantId: request.tenant.id, divisionIds: request.tenant.divisions, divisions: new Set(request.tenant.divisions) });

/** What the proxy sends Genesys for a benchmark request, from its own planning functions; one call each. */
function upstreamFormOf(scenario: Scenario, request: TenantRequest): string {
  const input = inputOf(scopeOf(request), { facts });
  if (request.method === 'GET') {
    const [path, raw = ''] = request.path.split('?');
    const row = policyTable.find((rule) => rule.method === 'GET' && rule.path === path)!;
    const plan = restrictDivisionIdParam({ ...input, query: parseQuery(raw, compileQuerySpec(row.query)) });
    if (plan.kind !== 'forward' || plan.calls.length !== 1) throw new Error(`${scenario.id}: not one upstream call`);
    return `GET ${pathAndQueryOf(path!, plan.calls[0]!.query)}`;
  }
  if (scenario.id === 'observations') {
    const { bodies } = planQueueObservations(queueObservationQuerySchema.parse(request.body), input);
    if (bodies.length !== 1) throw new Error('observations: not one upstream call');
    return `POST ${request.path} ${JSON.stringify(bodies[0])}`;
  }
  const { paging: _paging, ...selection } = restrictDetailsBody(conversationDetailQuerySchema.parse(request.body), input);
  return `POST ${request.path} ${JSON.stringify(selection)}`;
}

describe('the benchmark’s distinct requests', () => {
  it.each(distinct.filter((scenario) => scenario.tenants === 'bpos').map((scenario) => [scenario.id, scenario] as const))(
    '%s: more requests than connections, no two of them the same, neighbours from different tenants',
    (_id, scenario) => {
      const requests = tenantRequests(scenario, bpos);
      expect(requests.length).toBeGreaterThanOrEqual(CONNECTIONS);
      expect(new Set(requests.map(sameRequest)).size).toBe(requests.length);
      for (let i = 1; i < requests.length; i += 1) expect(requests[i]!.tenant.id).not.toBe(requests[i - 1]!.tenant.id);
    },
  );

  it.each(distinct.filter((scenario) => scenario.tenants === 'bpos').map((scenario) => [scenario.id, scenario] as const))(
    '%s: no two requests reach Genesys the same through the proxy, so none are shared',
    (_id, scenario) => {
      const forms = tenantRequests(scenario, bpos).map((request) => upstreamFormOf(scenario, request));
      expect(new Set(forms).size).toBe(forms.length);
    },
  );

  it('keeps the listings’ page sizes and the 500-queue listing whole', () => {
    const pages = tenantRequests(byId('queues-25'), bpos).map((request) => new URLSearchParams(request.path.split('?')[1]));
    expect(new Set(pages.map((query) => query.get('pageSize')))).toEqual(new Set(['25']));
    expect(new Set(pages.map((query) => query.get('pageNumber'))).size).toBe(20);
    for (const request of tenantRequests(byId('queues-500'), bpos)) {
      const query = new URLSearchParams(request.path.split('?')[1]);
      expect(query.get('pageSize')).toBe('500');
      expect(new Set(query.getAll('divisionId'))).toEqual(new Set(request.tenant.divisions));
      const matching = org.queues.filter((queue) => request.tenant.divisions.includes(queue.division.id) && queue.name.includes('Queue'));
      expect(matching).toHaveLength(500);
    }
  });

  it('asks for details of intervals that each select at most 100 of the tenant’s conversations (one Genesys page)', () => {
    const conversations = org.conversations.map((conversation) => ({ start: Date.parse(conversation.conversationStart), divisions: conversation.divisionIds }));
    for (const request of tenantRequests(byId('details'), bpos)) {
      const [from, to] = (request.body as { interval: string }).interval.split('/').map((time) => Date.parse(time));
      const own = new Set(request.tenant.divisions);
      const selected = conversations.filter(({ start, divisions }) => start >= from! && start < to! && divisions.some((id) => own.has(id)));
      expect(selected.length).toBeGreaterThan(0);
      expect(selected.length).toBeLessThanOrEqual(100);
    }
  });

  it('gives each connection its own share of the requests, whatever the run starts at', () => {
    const requests = Array.from({ length: 130 }, (_, i) => i);
    for (const startAt of [0, 7, 129, 1000]) {
      const shares = Array.from({ length: CONNECTIONS }, (_, client) => connectionShare(requests, CONNECTIONS, client, startAt));
      expect(shares.flat().sort((a, b) => a - b)).toEqual(requests);
      expect(shares[0]![0]).toBe(startAt % requests.length);
    }
    expect(connectionShare(requests, 1, 0, 5)).toEqual([...requests.slice(5), ...requests.slice(0, 5)]);
  });

  it('sends direct and the pass-through exactly what Genesys got from the proxy', () => {
    const form = { method: 'POST', url: '/api/v2/analytics/queues/observations/query', body: '{"filter":{"type":"and"}}', contentType: 'application/json' };
    expect(upstreamRequest(form, 'token')).toEqual({ method: 'POST', path: form.url, headers: { authorization: 'Bearer token', 'content-type': 'application/json' }, body: form.body });
    expect(upstreamRequest({ method: 'GET', url: '/api/v2/routing/queues?pageSize=25', body: '' }, 'token')).toEqual({
      method: 'GET',
      path: '/api/v2/routing/queues?pageSize=25',
      headers: { authorization: 'Bearer token' },
    });
  });
});

describe('the coalescing case', () => {
  it('sends one request per tenant, the same every time, for the 25- and 500-queue listings', () => {
    for (const id of ['queues-25-identical', 'queues-500-identical']) {
      const requests = tenantRequests(byId(id), bpos);
      expect(requests.map((request) => request.tenant.id)).toEqual(bpos.map((tenant) => tenant.id));
      expect(new Set(requests.map((request) => request.path)).size).toBe(1);
      // Fewer requests than connections: every connection cycles through all of them.
      expect(connectionShare(requests, CONNECTIONS, 13)).toHaveLength(requests.length);
    }
  });

  it('keeps the large answer at one request at a time', () => {
    expect(largeScenario(1000).modes).toEqual(['one']);
  });
});
