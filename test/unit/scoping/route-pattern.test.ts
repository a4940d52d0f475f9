import { compilePolicy } from '../../../src/scoping/policy.js';
import { policyTable } from '../../../src/scoping/policy-table.js';
import { compileRoutePattern } from '../../../src/scoping/route-pattern.js';

const queueId = 'a0000001-0000-4000-8000-000000000001';

describe('route patterns', () => {
  it('binds UUID parameters and nothing else', () => {
    const pattern = compileRoutePattern('/api/v2/routing/queues/{queueId}/members');
    expect(pattern.match(`/api/v2/routing/queues/${queueId}/members`)).toEqual({ queueId });
    expect(pattern.match('/api/v2/routing/queues/divisionviews/members')).toBeUndefined();
    expect(pattern.match(`/api/v2/routing/queues/${queueId}`)).toBeUndefined();
  });

  it('matches case-sensitively', () => {
    const pattern = compileRoutePattern('/api/v2/routing/queues');
    expect(pattern.match('/api/v2/Routing/queues')).toBeUndefined();
    expect(pattern.match('/API/V2/ROUTING/QUEUES')).toBeUndefined();
  });

  it('binds opaque tokens where the row says so', () => {
    const pattern = compileRoutePattern('/jobs/{jobId:token}');
    expect(pattern.match('/jobs/abc_DEF-123')).toEqual({ jobId: 'abc_DEF-123' });
  });

  it('refuses to compile a pattern with a wildcard', () => {
    expect(() => compileRoutePattern('/api/v2/*')).toThrow(/bad route pattern/);
  });
});

describe('the compiled policy table', () => {
  const policy = compilePolicy(policyTable);

  it('refuses methods and paths it does not list', () => {
    expect(policy.match('GET', '/api/v2/routing/queues')).toBeDefined();
    expect(policy.match('HEAD', '/api/v2/routing/queues')).toBeUndefined();
    expect(policy.match('GET', '/api/v2/routing/skills')).toBeUndefined();
    expect(policy.match('DELETE', '/api/v2/routing/queues')).toBeUndefined();
  });

  it('has no two rows that share a method and path', () => {
    const keys = policyTable.map((rule) => `${rule.method} ${rule.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
