import request from 'supertest';
import { queueId, userId } from '../../src/simulator/seed-ids.js';
import { expectNoLeak } from '../support/leaks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

interface MemberPage {
  entities: { id: string; name: string }[];
  nextUri?: string;
}

describe('case 3: filtered listings page from the tenant’s own items', () => {
  let h: Harness;
  const queue = queueId(1, 4);
  const path = `/api/v2/routing/queues/${queue}/members`;
  beforeAll(async () => {
    h = await startHarness();
    // An Acme queue whose members include agents of Globex and Initech, interleaved by name.
    const own = h.sim.org.queueMembers.get(queue)!;
    const foreign = [userId(3, 1), userId(3, 2), userId(3, 3), userId(4, 1), userId(4, 2), userId(4, 3), userId(4, 4), userId(3, 4)];
    h.sim.org.queueMembers.set(queue, [...own, ...foreign]);
  });
  afterAll(() => h.close());

  const page = async (query: string): Promise<MemberPage> => {
    const res = await request(h.url).get(`${path}?${query}`).set('X-API-Key', keys.acme).expect(200);
    expectNoLeak('acme', JSON.stringify(res.body), `GET ${path}?${query}`, h.sim.org, { request: `${path}?${query}` });
    return res.body as MemberPage;
  };

  it('case 3: every page is full but the last, and walking the pages finds every own member once', async () => {
    const own = h.sim.org.queueMembers.get(queue)!.filter((id) => h.sim.org.user(id)!.division.id === h.sim.org.user(userId(1, 1))!.division.id);
    const seen: string[] = [];
    for (let pageNumber = 1; pageNumber <= 10; pageNumber += 1) {
      const body = await page(`pageSize=3&pageNumber=${pageNumber}`);
      seen.push(...body.entities.map((member) => member.id));
      if (!body.nextUri) break;
      expect(body.entities).toHaveLength(3);
    }
    expect(seen.sort()).toEqual([...own].sort());
  });

  it('case 3: a name search leaves no link hinting at a hidden member', async () => {
    const target = h.sim.org.user(h.sim.org.queueMembers.get(queue)![0]!)!;
    const foreign = h.sim.org.user(userId(3, 1))!;
    // A Globex member whose name shares the prefix of an Acme member.
    foreign.name = `${target.name.split(' ')[0]} Zz-hidden`;
    const prefix = `${target.name.split(' ')[0]}*`;
    const body = await page(`name=${encodeURIComponent(prefix)}&pageSize=1`);
    expect(body.entities.map((member) => member.id)).toContain(target.id);
    const ownMatches = h.sim.org.queueMembers
      .get(queue)!
      .map((id) => h.sim.org.user(id)!)
      .filter((user) => user.division.id === target.division.id && user.name.startsWith(prefix.slice(0, -1)));
    if (ownMatches.length === 1) expect(body).not.toHaveProperty('nextUri');
  });
});
