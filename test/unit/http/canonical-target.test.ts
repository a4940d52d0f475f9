import fc from 'fast-check';
import { canonicalRequestTarget } from '../../../src/http/canonical-target.js';

describe('canonicalRequestTarget', () => {
  it('accepts a plain Genesys path and splits off the query', () => {
    expect(canonicalRequestTarget('/api/v2/routing/queues?pageSize=25&name=Sales%20*')).toEqual({
      ok: true,
      path: '/api/v2/routing/queues',
      query: 'pageSize=25&name=Sales%20*',
    });
  });

  it.each([
    ['dot-dot segment', '/api/v2/routing/queues/../../users'],
    ['single dot segment', '/api/v2/./routing/queues'],
    ['encoded dots', '/api/v2/routing/queues/%2e%2e/users'],
    ['mixed encoded dot', '/api/v2/routing/queues/.%2e/users'],
    ['double-encoded dots', '/api/v2/routing/queues/%252e%252e/users'],
    ['encoded slash', '/api/v2/routing/queues%2fusers'],
    ['encoded backslash', '/api/v2/routing/queues%5cusers'],
    ['encoded NUL', '/api/v2/routing/queues%00'],
    ['backslash', '/api/v2/routing\\queues'],
    ['double slash', '/api/v2//routing/queues'],
    ['trailing slash', '/api/v2/routing/queues/'],
    ['matrix parameter', '/api/v2/routing/queues;x=1'],
    ['non-ASCII', '/api/v2/routing/qu\u00e9ues'],
    ['absolute form', 'http://evil.example/api/v2/routing/queues'],
    ['fragment', '/api/v2/routing/queues#x'],
    ['space', '/api/v2/routing/ queues'],
    ['malformed percent in query', '/api/v2/routing/queues?name=%zz'],
  ])('refuses a %s', (_label, target) => {
    expect(canonicalRequestTarget(target).ok).toBe(false);
  });

  it('never accepts a path that a WHATWG URL parser would rewrite', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%\\;-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const raw = `/${segments.join('/')}`;
        const result = canonicalRequestTarget(raw);
        if (result.ok) expect(new URL(raw, 'http://x').pathname).toBe(result.path);
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});
