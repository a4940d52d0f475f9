import { queueWriteSchema, rewriteQueueWrite } from '../../../src/scoping/filters/queue-writes.js';
import { planAllQueueViews, scopeQueueMemberListing, scopeQueueViewListing } from '../../../src/scoping/filters/queues.js';
import { forward } from '../../../src/scoping/route-rule.js';
import { contextOf, entry, factsOf, inputOf, scopeOf } from '../../support/scoping.js';

const facts = factsOf([entry('qa1', 'A'), entry('qc1', 'C')], [entry('ua1', 'A'), entry('uc1', 'C')]);

describe('GET /routing/queues/divisionviews/all', () => {
  it('is served from /routing/queues with the tenant’s divisions, keeping paging and sort order', () => {
    const plan = planAllQueueViews(inputOf(scopeOf('A', 'B'), { query: [['pageSize', ['500']], ['pageNumber', ['2']], ['sortOrder', ['desc']]] }));
    expect(plan).toEqual(
      forward(
        new Map([
          ['pageSize', ['500']],
          ['pageNumber', ['2']],
          ['sortOrder', ['desc']],
          ['divisionId', ['A', 'B']],
        ]),
        undefined,
        '/api/v2/routing/queues',
      ),
    );
  });

  it('answers simplified queues and links to the path the tenant called', () => {
    const full = { id: 'qa1', name: 'Q', division: { id: 'A', name: 'A' }, memberCount: 3, mediaSettings: {}, selfUri: '/api/v2/routing/queues/qa1' };
    const path = '/api/v2/routing/queues/divisionviews/all';
    const scoped = scopeQueueViewListing({ entities: [full], pageSize: 25, pageNumber: 1, total: 1, pageCount: 1 }, contextOf(scopeOf('A'), [], { path }));
    expect(scoped).toMatchObject({ kind: 'ok', body: { entities: [{ id: 'qa1', name: 'Q', division: { id: 'A', name: 'A' }, selfUri: full.selfUri }], selfUri: `${path}?pageSize=25&pageNumber=1` } });
    expect(JSON.stringify(scoped)).not.toContain('memberCount');
  });
});

describe('queue members', () => {
  const member = (id: string, user: Record<string, unknown>) => ({ id, name: id, user });

  it('keeps a member only when the embedded division and the user directory agree it is the tenant’s (one may be silent)', () => {
    const body = {
      entities: [member('ua1', { id: 'ua1' }), member('uc1', { id: 'uc1' }), member('ux', { id: 'ux' }), member('uc1', { id: 'uc1', division: { id: 'A' } }), 'junk'],
      pageSize: 25,
      pageNumber: 1,
    };
    const scoped = scopeQueueMemberListing(body, contextOf(scopeOf('A'), [], { facts }));
    // uc1 embeds A but the directory says C: the two disagree, so it is not shown.
    expect(scoped).toMatchObject({ kind: 'ok', kept: 1, removed: 4 });
  });
});

describe('queue writes', () => {
  const write = (body: unknown, scope = scopeOf('A')) => rewriteQueueWrite(queueWriteSchema.parse(body), inputOf(scope, { facts }));

  it('forwards a queue for one of the tenant’s divisions, with the fields Genesys validates itself', () => {
    const body = { name: 'Q', division: { id: 'A' }, description: 'd', mediaSettings: { call: { alertingTimeoutSeconds: 8 } } };
    expect(write(body)).toEqual(forward(new Map(), body));
  });

  it('refuses a queue without a division (400) or in a foreign one (403)', () => {
    expect(() => write({ name: 'Q' })).toThrow(expect.objectContaining({ code: 'body.invalid', status: 400 }));
    expect(() => write({ name: 'Q', division: { id: 'C' } })).toThrow(expect.objectContaining({ code: 'not.authorized', status: 403 }));
  });

  it('refuses references to queues of other tenants', () => {
    expect(() => write({ name: 'Q', division: { id: 'A' }, sourceQueueId: 'qc1' })).toThrow(expect.objectContaining({ code: 'not.authorized' }));
    expect(() => write({ name: 'Q', division: { id: 'A' }, conditionalGroupRouting: { rules: [{ queue: { id: 'qc1' } }] } })).toThrow(expect.objectContaining({ code: 'not.authorized' }));
    expect(write({ name: 'Q', division: { id: 'A' }, sourceQueueId: 'qa1' }).kind).toBe('forward');
  });

  it('needs a name', () => {
    expect(queueWriteSchema.safeParse({ division: { id: 'A' } }).success).toBe(false);
  });
});
