import { restrictDivisionListing, scopeDivision, scopeDivisionListing } from '../../../src/scoping/filters/divisions.js';
import { emptyUsersPage, planUsersPage, scopeUser, scopeUsersPage } from '../../../src/scoping/filters/users.js';
import { forward } from '../../../src/scoping/route-rule.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const user = (id: string, division: string) => ({ id, name: id, division: { id: division } });
const users = [
  entry('ua3', 'A', 'Cleo'),
  entry('ua1', 'A', 'ann'),
  entry('ua2', 'A', 'Bob'),
  entry('ua4', 'A', 'Dora', 'inactive'),
  entry('ub1', 'B', 'Abe'),
  entry('uc1', 'C', 'Aaron'),
];
const facts = factsOf([], users);
const usersContext = (scope = scopeOf('A', 'B'), query: [string, string[]][] = []) => contextOf(scope, query, { path: '/api/v2/users', facts });

describe('GET /users, paged from the user directory', () => {
  it('asks Genesys for exactly the page’s users of the tenant, by id', () => {
    const plan = planUsersPage(inputOf(scopeOf('A', 'B'), { facts, query: [['pageSize', ['2']], ['pageNumber', ['2']], ['expand', ['presence']]] }));
    expect(plan).toEqual(forward(new Map([['pageSize', ['2']], ['pageNumber', ['1']], ['expand', ['presence']], ['id', ['ua2', 'ua3']]])));
  });

  it('selects by state as Genesys does (active by default) and keeps it upstream', () => {
    const plan = planUsersPage(inputOf(scopeOf('A'), { facts, query: [['state', ['inactive']]] }));
    expect(plan).toEqual(forward(new Map([['state', ['inactive']], ['id', ['ua4']], ['pageSize', ['1']], ['pageNumber', ['1']]])));
  });

  it('drops ids of other tenants from an id filter, and answers empty when none is left', () => {
    const plan = planUsersPage(inputOf(scopeOf('A'), { facts, query: [['id', ['uc1', 'ua1']]] }));
    expect(plan).toEqual(forward(new Map([['id', ['ua1']], ['pageSize', ['1']], ['pageNumber', ['1']]])));
    expect(planUsersPage(inputOf(scopeOf('A'), { facts, query: [['id', ['uc1']]] }))).toEqual({ kind: 'empty' });
  });

  it('builds the envelope from the directory: the total counts the tenant’s users only', () => {
    const body = { entities: [user('ua3', 'A'), user('ua2', 'A'), user('uc1', 'C')], total: 999, pageCount: 99, nextUri: '/api/v2/users?id=uc1' };
    const scoped = scopeUsersPage(body, usersContext(scopeOf('A', 'B'), [['pageSize', ['2']], ['pageNumber', ['2']]]));
    expect(scoped).toMatchObject({
      kind: 'ok',
      kept: 2,
      removed: 1,
      body: {
        entities: [user('ua2', 'A'), user('ua3', 'A')],
        total: 4,
        pageCount: 2,
        pageNumber: 2,
        pageSize: 2,
        previousUri: '/api/v2/users?pageSize=2&pageNumber=1',
      },
    });
    expect(JSON.stringify(scoped)).not.toContain('uc1');
    expect(scoped.kind === 'ok' && scoped.body).not.toHaveProperty('nextUri');
  });

  it('answers a page past the end with the tenant’s totals', () => {
    expect(emptyUsersPage(usersContext(scopeOf('A'), [['pageNumber', ['9']]]))).toMatchObject({ entities: [], total: 3, pageCount: 1, pageNumber: 9 });
  });

  it('answers 404 for a user of another division', () => {
    expect(scopeUser(user('uc1', 'C'), usersContext())).toEqual({ kind: 'not-found' });
    expect(scopeUser(user('ua1', 'A'), usersContext())).toMatchObject({ kind: 'ok' });
  });
});

describe('divisions', () => {
  const division = (id: string) => ({ id, name: id, homeDivision: false });

  it('pushes the tenant’s divisions upstream as ids, narrowed to what the tenant asked for', () => {
    expect(restrictDivisionListing(inputOf(scopeOf('A', 'B')))).toEqual(forward(new Map([['id', ['A', 'B']]])));
    expect(restrictDivisionListing(inputOf(scopeOf('A', 'B'), { query: [['id', ['B', 'C']]] }))).toEqual(forward(new Map([['id', ['B']]])));
    expect(restrictDivisionListing(inputOf(scopeOf('A', 'B'), { query: [['id', ['C']]] }))).toEqual({ kind: 'empty' });
  });

  it('keeps only the tenant’s divisions in a listing and answers 404 for another one', () => {
    const listing = { entities: [division('A'), division('HOME')], pageSize: 25, pageNumber: 1, total: 5, pageCount: 1 };
    expect(scopeDivisionListing(listing, contextOf(scopeOf('A')))).toMatchObject({ kind: 'ok', kept: 1, removed: 1, body: { total: 1 } });
    expect(scopeDivision(division('HOME'), contextOf(scopeOf('A')))).toEqual({ kind: 'not-found' });
    expect(scopeDivision(division('A'), contextOf(scopeOf('A')))).toMatchObject({ kind: 'ok' });
  });
});
