import fc from 'fast-check';
import { scopeScannedQueueMembers } from '../../../src/scoping/filters/queues.js';
import { MAX_SCAN_PAGES, mergeScannedPages, readWhole, scanContinues, scanPageQuery } from '../../../src/scoping/filters/scanned-listing.js';
import { UnexpectedShapeError } from '../../../src/scoping/scope.js';
import { contextOf, entry, factsOf, scopeOf } from '../../support/scoping.js';

const path = '/api/v2/routing/queues/qa1/members';
const member = (id: string, division: string) => ({ id, name: id, user: { id, division: { id: division } } });

describe('case 3: queue members paged from the tenant’s own members', () => {
  const all = ['Ava', 'Ben', 'Chloe-B', 'Chloe-A', 'Dev-B', 'Elena', 'Farid-B', 'Grace'].map((name) => member(name, name.endsWith('-B') ? 'B' : 'A'));
  const facts = factsOf([], all.map((m) => entry(m.id, m.user.division.id)));
  const page = (query: [string, string[]][]) => scopeScannedQueueMembers({ entities: all }, contextOf(scopeOf('A'), query, { facts, path }));

  it('fills every page but the last while more follow', () => {
    const first = page([['pageSize', ['4']]]);
    expect(first).toMatchObject({ kind: 'ok', kept: 4, body: { pageSize: 4, pageNumber: 1, nextUri: `${path}?pageSize=4&pageNumber=2` } });
    const second = page([['pageSize', ['4']], ['pageNumber', ['2']]]);
    expect(second).toMatchObject({ kind: 'ok', kept: 1 });
    expect(second.kind === 'ok' && second.body).not.toHaveProperty('nextUri');
  });

  it('gives no nextUri that says a hidden member follows (no name oracle)', () => {
    const own = scopeScannedQueueMembers({ entities: [member('Chloe-A', 'A'), member('Chloe-B', 'B')] }, contextOf(scopeOf('A'), [['name', ['Chloe*']], ['pageSize', ['1']]], { facts, path }));
    const alone = scopeScannedQueueMembers({ entities: [member('Chloe-A', 'A')] }, contextOf(scopeOf('A'), [['name', ['Chloe*']], ['pageSize', ['1']]], { facts, path }));
    expect(own).toEqual({ ...alone, removed: 1 });
    expect(own.kind === 'ok' && own.body).not.toHaveProperty('nextUri');
  });

  it('pages the same as if the other tenants’ members did not exist (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'B'), { maxLength: 40 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 12 }), (divisions, pageSize, pageNumber) => {
        const members = divisions.map((division, i) => member(`m${i}`, division));
        const orgFacts = factsOf([], members.map((m) => entry(m.id, m.user.division.id)));
        const query: [string, string[]][] = [['pageSize', [String(pageSize)]], ['pageNumber', [String(pageNumber)]]];
        const withOthers = scopeScannedQueueMembers({ entities: members }, contextOf(scopeOf('A'), query, { facts: orgFacts, path }));
        const withoutOthers = scopeScannedQueueMembers({ entities: members.filter((m) => m.user.division.id === 'A') }, contextOf(scopeOf('A'), query, { facts: orgFacts, path }));
        if (withOthers.kind !== 'ok' || withoutOthers.kind !== 'ok') throw new Error('expected ok');
        expect(withOthers.body).toEqual(withoutOthers.body);
        const own = members.filter((m) => m.user.division.id === 'A').length;
        const entities = (withOthers.body as { entities: unknown[] }).entities;
        expect(entities.length).toBe(Math.max(0, Math.min(pageSize, own - (pageNumber - 1) * pageSize)));
        expect('nextUri' in (withOthers.body as object)).toBe(pageNumber * pageSize < own);
      }),
      { seed: 31, numRuns: 300 },
    );
  });
});

describe('reading a listing whole', () => {
  it('asks for the proxy’s pages with the tenant’s filters', () => {
    expect(scanPageQuery(new Map([['name', ['Chloe*']], ['pageSize', ['1']], ['pageNumber', ['3']]]), 2)).toEqual(
      new Map([['name', ['Chloe*']], ['pageSize', ['100']], ['pageNumber', ['2']]]),
    );
  });

  it('goes on while a full page links to another, and merges pages in order', () => {
    expect(scanContinues({ entities: [1], nextUri: '/x' })).toBe(true);
    expect(scanContinues({ entities: [1] })).toBe(false);
    expect(scanContinues({ entities: [], nextUri: '/x' })).toBe(false);
    expect(mergeScannedPages([{ entities: [1, 2] }, { entities: [3] }])).toEqual({ entities: [1, 2, 3] });
    expect(() => mergeScannedPages([{ entities: [1] }, { nope: [] }])).toThrow(UnexpectedShapeError);
    expect(() => scanContinues('x')).toThrow(UnexpectedShapeError);
  });
});

describe('readWhole', () => {
  const pages = (count: number) => async (query: ReadonlyMap<string, readonly string[]>) => {
    const page = Number(query.get('pageNumber')![0]);
    return { entities: [`item${page}`], ...(page < count ? { nextUri: `/next?pageNumber=${page + 1}` } : {}) };
  };

  it('reads page after page until none follows', async () => {
    const asked: string[] = [];
    const read = pages(3);
    const whole = await readWhole(async (query) => {
      asked.push(query.get('pageNumber')![0]!);
      return read(query);
    }, new Map());
    expect(whole).toEqual({ entities: ['item1', 'item2', 'item3'] });
    expect(asked).toEqual(['1', '2', '3']);
  });

  it('fails closed on a listing longer than it reads', async () => {
    await expect(readWhole(pages(MAX_SCAN_PAGES + 1), new Map())).rejects.toThrow(UnexpectedShapeError);
  });
});
