import request from 'supertest';
import { conversationId, divisionId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { expectNoLeak, foreignIdsIn, divisionIndexesOf } from '../support/leaks.js';
import { keys } from '../support/tenants.js';

const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
const aggregates = '/api/v2/analytics/conversations/aggregates/query';

describe('conversation aggregates grouped by an entity', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('name only the tenant’s own agents, although conversations shared with other divisions count', async () => {
    const res = await request(h.url).post(aggregates).set('X-API-Key', keys.acme).send({ interval, groupBy: ['userId'], metrics: ['nOffered', 'tHandle'] }).expect(200);
    // The premise: a conversation in acme's divisions was transferred to a Globex agent.
    const shared = h.sim.org.conversation(conversationId(2, 5))!;
    expect(shared.divisionIds).toEqual([divisionId(2), divisionId(3)]);
    expect(shared.participants.map((p) => p.userId)).toContain(userId(3, 6));
    expectNoLeak('acme', res.text, `POST ${aggregates} grouped by userId`, h.sim.org);
    const users = (res.body as { results: { group: { userId?: string } }[] }).results.flatMap((r) => (r.group.userId ? [r.group.userId] : []));
    expect(users).toContain(userId(2, 5));
    expect(users.filter((id) => foreignIdsIn(id, divisionIndexesOf.acme, h.sim.org).length > 0)).toEqual([]);
  });

  it('refuse grouping by conversationId with 400, before calling Genesys', async () => {
    h.sim.requestLog.clear();
    const res = await request(h.url).post(aggregates).set('X-API-Key', keys.acme).send({ interval, groupBy: ['conversationId'], metrics: ['nOffered'] }).expect(400);
    expect(res.body).toMatchObject({ code: 'body.invalid', status: 400 });
    expect(h.sim.requestLog.count({ pathPrefix: '/api/v2/analytics' })).toBe(0);
  });
});
