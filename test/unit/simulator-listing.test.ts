import { entityListing, openEndedListing, pageRequest } from '../../src/simulator/listing.js';
import { QueryParams, nameMatcher } from '../../src/simulator/query.js';

const items = Array.from({ length: 7 }, (_, i) => i + 1);

describe('listing envelopes', () => {
  it('pages with relative URIs that keep the other parameters as sent', () => {
    const query = new QueryParams('divisionId=a,b&pageNumber=2&name=Sales*&pageSize=3&divisionId=c');
    const listing = entityListing(items, pageRequest(query, 100), '/api/v2/routing/queues', query);
    expect(listing).toEqual({
      entities: [4, 5, 6],
      pageSize: 3,
      pageNumber: 2,
      total: 7,
      firstUri: '/api/v2/routing/queues?pageSize=3&pageNumber=1&divisionId=a,b&name=Sales*&divisionId=c',
      selfUri: '/api/v2/routing/queues?pageSize=3&pageNumber=2&divisionId=a,b&name=Sales*&divisionId=c',
      nextUri: '/api/v2/routing/queues?pageSize=3&pageNumber=3&divisionId=a,b&name=Sales*&divisionId=c',
      previousUri: '/api/v2/routing/queues?pageSize=3&pageNumber=1&divisionId=a,b&name=Sales*&divisionId=c',
      lastUri: '/api/v2/routing/queues?pageSize=3&pageNumber=3&divisionId=a,b&name=Sales*&divisionId=c',
      pageCount: 3,
    });
  });

  it('omits nextUri on the last page and previousUri on the first', () => {
    const first = entityListing(items, { pageSize: 10, pageNumber: 1 }, '/x', new QueryParams(''));
    expect(first).not.toHaveProperty('nextUri');
    expect(first).not.toHaveProperty('previousUri');
    expect(first.lastUri).toBe('/x?pageSize=10&pageNumber=1');
    const empty = entityListing([], { pageSize: 10, pageNumber: 1 }, '/x', new QueryParams(''));
    expect(empty).toMatchObject({ entities: [], total: 0, pageCount: 0 });
  });

  it('leaves total, lastUri and pageCount out of open-ended (queue member) listings', () => {
    const listing = openEndedListing(items, { pageSize: 5, pageNumber: 1 }, '/m', new QueryParams(''));
    expect(Object.keys(listing).sort()).toEqual(['entities', 'firstUri', 'nextUri', 'pageNumber', 'pageSize', 'selfUri']);
    expect(openEndedListing(items, { pageSize: 5, pageNumber: 2 }, '/m', new QueryParams(''))).not.toHaveProperty('nextUri');
  });

  it('clamps an oversized pageSize and rejects a non-numeric one', () => {
    expect(pageRequest(new QueryParams('pageSize=1000'), 100)).toEqual({ pageSize: 100, pageNumber: 1 });
    expect(() => pageRequest(new QueryParams('pageSize=ten'), 100)).toThrow(/pageSize/);
    expect(() => pageRequest(new QueryParams('pageNumber=0'), 100)).toThrow(/pageNumber/);
  });
});

describe('query parameters', () => {
  it('reads array parameters repeated, comma-joined, or both', () => {
    expect(new QueryParams('id=a&id=b').list('id')).toEqual(['a', 'b']);
    expect(new QueryParams('id=a,b').list('id')).toEqual(['a', 'b']);
    expect(new QueryParams('id=a%2Cb&id=c,&id=').list('id')).toEqual(['a', 'b', 'c']);
  });

  it('matches names with leading and trailing wildcards, ignoring case', () => {
    expect(nameMatcher('acme*')('Acme North Queue 1')).toBe(true);
    expect(nameMatcher('*queue 1')('Acme North Queue 1')).toBe(true);
    expect(nameMatcher('*NORTH*')('Acme North Queue 1')).toBe(true);
    expect(nameMatcher('North')('Acme North Queue 1')).toBe(false);
    expect(nameMatcher('acme north queue 1')('Acme North Queue 1')).toBe(true);
    expect(nameMatcher(undefined)('anything')).toBe(true);
  });

  it('rejects unknown parameters only when strict', () => {
    const query = new QueryParams('pageSize=1&bogus=1');
    expect(() => query.assertKnown(['pageSize'], false)).not.toThrow();
    expect(() => query.assertKnown(['pageSize'], true)).toThrow(/bogus/);
  });
});
