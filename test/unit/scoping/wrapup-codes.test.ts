import fc from 'fast-check';
import { scopeWrapupCodeListing } from '../../../src/scoping/filters/wrapup-codes.js';
import { UnexpectedShapeError } from '../../../src/scoping/scope.js';
import { contextOf, scopeOf } from '../../support/scoping.js';

const DIVISIONS = ['d-a', 'd-b', 'd-home', 'd-other'];
const PATH = '/api/v2/routing/queues/q1/wrapupcodes';
const code = fc.record({ id: fc.uuid(), name: fc.string(), division: fc.record({ id: fc.constantFrom(...DIVISIONS) }) });

describe('wrap-up codes of a queue', () => {
  it('keeps only codes in the tenant’s divisions, and the envelope counts only those', () => {
    fc.assert(
      fc.property(fc.array(code, { maxLength: 30 }), fc.subarray(DIVISIONS), (codes, mine) => {
        const scope = scopeOf(...mine);
        const body = { entities: codes, pageSize: 100, pageNumber: 1, total: codes.length, pageCount: 1, selfUri: `${PATH}?foreign=1` };
        const scoped = scopeWrapupCodeListing(body, contextOf(scope, [], { path: PATH }));
        if (scoped.kind !== 'ok') throw new Error('expected a listing');
        const listing = scoped.body as { entities: typeof codes; total: number; selfUri: string };
        expect(listing.entities).toEqual(codes.filter((c) => mine.includes(c.division.id)));
        expect(listing.total).toBe(listing.entities.length);
        expect(listing.selfUri.startsWith(PATH)).toBe(true);
        expect(listing.selfUri).not.toContain('foreign');
        expect(scoped.removed).toBe(codes.length - listing.entities.length);
      }),
    );
  });

  it('answers the same whether or not codes of other divisions exist', () => {
    fc.assert(
      fc.property(fc.array(code, { maxLength: 20 }), (codes) => {
        const scope = scopeOf('d-a');
        const context = contextOf(scope, [], { path: PATH });
        const envelope = (entities: typeof codes) => ({ entities, pageSize: 100, pageNumber: 1, total: entities.length, pageCount: 1 });
        const all = scopeWrapupCodeListing(envelope(codes), context);
        const own = scopeWrapupCodeListing(envelope(codes.filter((c) => c.division.id === 'd-a')), context);
        expect(all.kind === 'ok' && all.body).toEqual(own.kind === 'ok' && own.body);
      }),
    );
  });

  it('refuses an answer that is not a listing', () => {
    expect(() => scopeWrapupCodeListing({ codes: [] }, contextOf(scopeOf('d-a')))).toThrow(UnexpectedShapeError);
  });
});
