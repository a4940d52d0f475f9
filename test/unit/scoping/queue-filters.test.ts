import fc from 'fast-check';
import { scopeQueue, scopeQueueListing, scopeQueueMemberListing } from '../../../src/scoping/filters/queues.js';
import { emptyListing } from '../../../src/scoping/filters/listing.js';
import { UnexpectedShapeError } from '../../../src/scoping/scope.js';
import { restrictDivisionIdParam, restrictDivisionViewsParam } from '../../../src/scoping/request-scopers.js';
import { forward } from '../../../src/scoping/route-rule.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';
const queue = (id: string, division?: string) => ({ id, name: id, ...(division ? { division: { id: division, name: division } } : {}) });

describe('scopeQueueListing', () => {
  it('keeps only queues of the tenant’s divisions and drops those without a division', () => {
    const body = { entities: [queue('q1', 'A'), queue('q2', 'B'), queue('q3')], pageSize: 25, pageNumber: 1, total: 3, pageCount: 1 };
    const result = scopeQueueListing(body, contextOf(scopeOf('A')));
    expect(result).toMatchObject({ kind: 'ok', kept: 1, removed: 2 });
    if (result.kind !== 'ok') throw new Error('expected ok');
    expect((result.body as { entities: unknown[] }).entities).toEqual([queue('q1', 'A')]);
  });

  it('keeps the upstream total when nothing had to be removed (the upstream applied the filter)', () => {
    const body = { entities: [queue('q1', 'A')], pageSize: 1, pageNumber: 1, total: 7, pageCount: 7, nextUri: '/x' };
    const facts = factsOf(Array.from({ length: 7 }, (_, i) => entry(`q${i + 1}`, 'A')));
    const result = scopeQueueListing(body, contextOf(scopeOf('A'), [], { facts }));
    expect(result).toMatchObject({ kind: 'ok', body: { total: 7, pageCount: 7 } });
  });

  it('never reports the upstream total once a foreign queue was removed', () => {
    const body = { entities: [queue('q1', 'A'), queue('q2', 'B')], pageSize: 2, pageNumber: 1, total: 900, pageCount: 450 };
    const result = scopeQueueListing(body, contextOf(scopeOf('A')));
    expect(result).toMatchObject({ kind: 'ok', body: { total: 1, pageCount: 1 } });
  });

  it('rebuilds paging links from the tenant’s own query, not the upstream’s', () => {
    const body = {
      entities: [queue('q1', 'A')],
      pageSize: 1,
      pageNumber: 2,
      total: 3,
      pageCount: 3,
      nextUri: '/api/v2/routing/queues?divisionId=A&divisionId=SECRET&pageNumber=3',
    };
    const result = scopeQueueListing(body, contextOf(scopeOf('A'), [['name', ['Sales*']]]));
    expect(result).toMatchObject({
      kind: 'ok',
      body: {
        selfUri: '/api/v2/routing/queues?pageSize=1&pageNumber=2&name=Sales*',
        nextUri: '/api/v2/routing/queues?pageSize=1&pageNumber=3&name=Sales*',
        previousUri: '/api/v2/routing/queues?pageSize=1&pageNumber=1&name=Sales*',
        lastUri: '/api/v2/routing/queues?pageSize=1&pageNumber=3&name=Sales*',
      },
    });
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });

  it('refuses a body that is not a listing', () => {
    expect(() => scopeQueueListing({ results: [] }, contextOf(scopeOf('A')))).toThrow(UnexpectedShapeError);
    expect(() => scopeQueueListing('nope', contextOf(scopeOf('A')))).toThrow(UnexpectedShapeError);
  });
});

describe('scopeQueue', () => {
  it('answers not-found for a foreign queue, exactly as for a queue without a division', () => {
    expect(scopeQueue(queue('q2', 'B'), contextOf(scopeOf('A')))).toEqual({ kind: 'not-found' });
    expect(scopeQueue(queue('q3'), contextOf(scopeOf('A')))).toEqual({ kind: 'not-found' });
    expect(scopeQueue(queue('q1', 'A'), contextOf(scopeOf('A')))).toMatchObject({ kind: 'ok', kept: 1 });
  });
});

describe('scopeQueueMemberListing', () => {
  it('drops members whose user is in a foreign division and invents no totals', () => {
    const member = (id: string, division?: string) => ({ id, user: queue(id, division) });
    const body = { entities: [member('u1', 'A'), member('u2', 'B'), member('u3')], pageSize: 25, pageNumber: 1 };
    const result = scopeQueueMemberListing(body, contextOf(scopeOf('A')));
    expect(result).toMatchObject({ kind: 'ok', kept: 1, removed: 2 });
    if (result.kind !== 'ok') throw new Error('expected ok');
    expect(result.body).not.toHaveProperty('total');
    expect(result.body).not.toHaveProperty('pageCount');
  });
});

describe('restrictDivisionIdParam', () => {
  const scope = scopeOf('A', 'B');

  it('pushes all the tenant’s divisions when the tenant names none', () => {
    expect(restrictDivisionIdParam(inputOf(scope))).toEqual(forward(new Map([['divisionId', ['A', 'B']]])));
  });

  it('keeps only the tenant’s own divisions from what it asked for', () => {
    const plan = restrictDivisionIdParam(inputOf(scope, { query: [['divisionId', ['B', 'FOREIGN', '*', 'B']]] }));
    expect(plan).toEqual(forward(new Map([['divisionId', ['B']]])));
  });

  it('answers empty rather than wider when nothing it asked for is its own', () => {
    expect(restrictDivisionIdParam(inputOf(scope, { query: [['divisionId', ['FOREIGN', '*']]] }))).toEqual({ kind: 'empty' });
  });
});

describe('restrictDivisionViewsParam', () => {
  it('reads * as every one of the tenant’s divisions and never sends it upstream', () => {
    const scope = scopeOf('A', 'B');
    expect(restrictDivisionViewsParam(inputOf(scope, { query: [['divisionId', ['*']]] }))).toEqual(forward(new Map([['divisionId', ['A', 'B']]])));
    expect(restrictDivisionViewsParam(inputOf(scope, { query: [['divisionId', ['FOREIGN']]] }))).toEqual({ kind: 'empty' });
    expect(restrictDivisionViewsParam(inputOf(scope))).toEqual(forward(new Map([['divisionId', ['A', 'B']]])));
  });
});

describe('emptyListing', () => {
  it('is a well-formed listing with nothing in it', () => {
    expect(emptyListing(contextOf(scopeOf('A'), [['pageSize', ['10']]]))).toMatchObject({ entities: [], total: 0, pageSize: 10, pageNumber: 1 });
  });
});

describe('queue listing properties', () => {
  const divisions = ['A', 'B', 'C', 'D'];
  const listingArb = fc.array(fc.record({ id: fc.uuid(), division: fc.option(fc.constantFrom(...divisions), { nil: undefined }) }), { maxLength: 40 }).map((rows) => ({
    entities: rows.map((row) => queue(row.id, row.division)),
    pageSize: 50,
    pageNumber: 1,
    total: rows.length,
    pageCount: 1,
  }));
  const subsetArb = fc.subarray(divisions, { minLength: 1 });

  it('lets no queue outside the tenant’s divisions through, and filtering twice equals once', () => {
    fc.assert(
      fc.property(listingArb, subsetArb, (listing, allowed) => {
        const context = contextOf(scopeOf(...allowed));
        const once = scopeQueueListing(listing, context);
        if (once.kind !== 'ok') throw new Error('expected ok');
        const entities = (once.body as { entities: { division?: { id: string } }[] }).entities;
        for (const entity of entities) expect(allowed).toContain(entity.division?.id);
        const twice = scopeQueueListing(once.body, context);
        expect(twice.kind === 'ok' && twice.body).toEqual(once.body);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('shows a tenant with more divisions a superset', () => {
    fc.assert(
      fc.property(listingArb, subsetArb, subsetArb, (listing, a, b) => {
        const small = scopeQueueListing(listing, contextOf(scopeOf(...a)));
        const large = scopeQueueListing(listing, contextOf(scopeOf(...new Set([...a, ...b]))));
        const ids = (r: typeof small) => (r.kind === 'ok' ? (r.body as { entities: { id: string }[] }).entities.map((e) => e.id) : []);
        for (const id of ids(small)) expect(ids(large)).toContain(id);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
