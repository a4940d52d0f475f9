import { compilePolicy } from '../../../src/scoping/policy.js';
import { policyTable } from '../../../src/scoping/policy-table.js';

const policy = compilePolicy(policyTable);
const uuid = 'a0000001-0000-4000-8000-000000000001';

describe('the policy table', () => {
  it('takes request bodies only on the rows that rewrite them, and only on POST and PUT', () => {
    for (const rule of policyTable) {
      if (rule.body) expect(['POST', 'PUT']).toContain(rule.method);
      // Creating a notification channel is a POST without a body, as in Genesys.
      if ((rule.method === 'POST' || rule.method === 'PUT') && rule.path !== '/api/v2/notifications/channels') expect(rule.body).toBeDefined();
      if (rule.body) expect(rule.request).toBeUndefined();
    }
  });

  it('makes every write a write, checked against an owned id asked fresh when the path names one', () => {
    for (const rule of policyTable.filter((r) => r.method !== 'GET' && r.access === 'write')) {
      const params = [...rule.path.matchAll(/\{(\w+)/g)].map((m) => m[1]);
      for (const param of params) expect(rule.owns).toContainEqual(expect.objectContaining({ param, fresh: true }));
    }
    const writes = policyTable.filter((r) => r.access === 'write').map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual(['POST /api/v2/routing/queues', 'PUT /api/v2/routing/queues/{queueId}', 'DELETE /api/v2/routing/queues/{queueId}']);
    const unshared = policyTable.filter((r) => r.shareable === false).map((r) => `${r.method} ${r.path}`);
    expect(unshared).toEqual(['POST /api/v2/analytics/conversations/details/jobs']);
  });

  it('reads every answer it relays: no row forwards an upstream body unscoped', () => {
    for (const rule of policyTable) {
      const kind = rule.response.kind;
      expect(['scoped', 'no-content', 'own', 'served']).toContain(kind);
      // Only notification channels are answered by the proxy itself, with nothing forwarded.
      if (kind === 'served') expect(rule.path.startsWith('/api/v2/notifications/channels')).toBe(true);
      expect(kind === 'own').toBe(rule.execute !== undefined);
      if (kind === 'no-content') expect(rule.method).toBe('DELETE');
    }
  });

  it('matches literal paths before ids', () => {
    expect(policy.match('GET', '/api/v2/routing/queues/divisionviews')?.route.rule.path).toBe('/api/v2/routing/queues/divisionviews');
    expect(policy.match('GET', '/api/v2/routing/queues/divisionviews/all')?.route.rule.path).toBe('/api/v2/routing/queues/divisionviews/all');
    expect(policy.match('GET', `/api/v2/routing/queues/${uuid}`)?.route.rule.path).toBe('/api/v2/routing/queues/{queueId}');
    expect(policy.match('GET', '/api/v2/analytics/conversations/details/jobs/abc-123/results')?.params).toEqual({ jobId: 'abc-123' });
    expect(policy.match('GET', `/api/v2/analytics/conversations/${uuid}/details`)?.params).toEqual({ conversationId: uuid });
  });

  it('serves none of the Genesys paths that would bypass division scoping', () => {
    for (const [method, path] of [
      ['GET', '/api/v2/authorization/divisions/home'],
      ['GET', '/api/v2/analytics/conversations/details'],
      ['DELETE', '/api/v2/analytics/conversations/details/jobs/abc'],
      ['POST', '/api/v2/analytics/conversations/aggregates/jobs'],
      ['POST', `/api/v2/authorization/divisions/${uuid}/objects/QUEUE`],
      ['PATCH', `/api/v2/routing/queues/${uuid}`],
      ['POST', `/api/v2/routing/queues/${uuid}/members`],
    ] as const) {
      expect(policy.match(method, path)).toBeUndefined();
    }
  });
});
