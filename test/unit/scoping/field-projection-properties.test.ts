import fc from 'fast-check';
import { scopeDivision, scopeDivisionListing } from '../../../src/scoping/filters/divisions.js';
import { scopeEntity } from '../../../src/scoping/filters/entity.js';
import { scopeQueue, scopeQueueListing, scopeQueueMemberListing, scopeQueueViewListing, scopeScannedQueueMembers } from '../../../src/scoping/filters/queues.js';
import { scopeUser, scopeUsersPage } from '../../../src/scoping/filters/users.js';
import type { ResponseContext, ResponseScoper } from '../../../src/scoping/scope.js';
import { createRandom as random } from '../../../src/simulator/prng.js';
import { AnswerMaker, DIVISIONS, divisionId, orgArb, type Org } from '../../support/answer-maker.js';
import { contextOf, entry, factsOf, scopeOf } from '../../support/scoping.js';

/**
 * The invariant, for random orgs and random answers built from the field table itself plus keys
 * the proxy has never seen: no answer a tenant gets names an id, a name or a count that exists only
 * outside its divisions. Everything of a division is tagged `<kind>:<division>:<n>`, so a leak is a
 * tag of another division in the serialised answer; counts are numbers from 9100000 up.
 */
const TAG = /\b[a-z]+:([A-E]):\d+\b/g;
const COUNT = /91\d{5}/;

type Answer = (maker: AnswerMaker) => unknown;
const rows: [string, ResponseScoper, Answer, string?][] = [
  ['GET /routing/queues/{id}', scopeQueue, (m) => m.known('queue')],
  ['GET /routing/queues', scopeQueueListing, (m) => m.listing([m.known('queue'), m.known('queue'), m.entity('queue')])],
  ['GET /routing/queues/divisionviews', scopeQueueViewListing, (m) => m.listing([m.known('queue'), m.entity('queue')])],
  ['GET /routing/queues/{id}/members', scopeQueueMemberListing, (m) => m.listing([m.entity('queue member'), m.entity('queue member')])],
  ['GET /routing/queues/{id}/members (read whole)', scopeScannedQueueMembers, (m) => m.listing([m.entity('queue member'), m.entity('queue member')])],
  ['GET /users/{id}', scopeUser, (m) => m.known('user')],
  ['GET /users', scopeUsersPage, (m) => m.listing([m.known('user'), m.known('user'), m.known('user')]), '/api/v2/users'],
  ['GET /authorization/divisions/{id}', scopeDivision, (m) => m.entity('division')],
  ['GET /authorization/divisions', scopeDivisionListing, (m) => m.listing([m.entity('division'), m.entity('division')])],
  ['a wrap-up code', scopeEntity('wrap-up code'), (m) => m.entity('wrap-up code')],
];

describe('no tenant-facing answer names anything that exists only outside the tenant’s divisions', () => {
  for (const [row, scoper, answer, path] of rows) {
    it(row, () => {
      fc.assert(
        fc.property(orgArb, fc.subarray(DIVISIONS, { minLength: 1 }), fc.integer(), (org, tenant, seed) => {
          const maker = new AnswerMaker(org, random(seed));
          const body = answer(maker);
          const context: ResponseContext = contextOf(scopeOf(...tenant.map(divisionId)), [], { facts: factsOf(org.queues, org.users), ...(path ? { path } : {}) });
          const scoped = scoper(body, context);
          if (scoped.kind !== 'ok') return;
          const text = JSON.stringify(scoped.body);
          const foreign = [...text.matchAll(TAG)].filter((match) => !tenant.includes(match[1]!)).map((match) => match[0]);
          expect(foreign).toEqual([]);
          expect(text).not.toMatch(COUNT);
        }),
        { seed: 4242, numRuns: 150 },
      );
    });
  }

  it('shows something of an own entity (the property is not met by showing nothing)', () => {
    const org: Org = { queues: [entry('queue:A:1', divisionId('A'), 'name:A:1')], users: [entry('user:A:1', divisionId('A'), 'name:A:1')] };
    const maker = new AnswerMaker(org, random(7));
    const scoped = scopeQueue(maker.known('queue'), contextOf(scopeOf(divisionId('A')), [], { facts: factsOf(org.queues, org.users) }));
    expect(scoped).toMatchObject({ kind: 'ok', body: { id: 'queue:A:1', division: { id: divisionId('A') } } });
  });
});
