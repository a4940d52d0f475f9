import { narrowScope } from '../../../src/scoping/narrowing.js';
import { scopeOf } from '../../support/scoping.js';

describe('X-Division-Id narrowing', () => {
  const scope = scopeOf('A', 'B', 'C');

  it('leaves the scope alone without the header', () => {
    expect(narrowScope(scope, undefined)).toBe(scope);
  });

  it('narrows to the divisions named, comma-joined or repeated, without duplicates', () => {
    const narrowed = narrowScope(scope, ['C, A', 'A']);
    expect(narrowed.divisionIds).toEqual(['C', 'A']);
    expect([...narrowed.divisions]).toEqual(['C', 'A']);
    expect(narrowed.tenantId).toBe(scope.tenantId);
  });

  it('refuses a division outside the tenant’s set with 403, and an empty header with 400', () => {
    expect(() => narrowScope(scope, 'A,D')).toThrow(expect.objectContaining({ code: 'not.authorized', status: 403 }));
    expect(() => narrowScope(scope, ' , ')).toThrow(expect.objectContaining({ code: 'bad.request' }));
  });
});
