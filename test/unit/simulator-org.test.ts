import { SeededOrg } from '../../src/simulator/org.js';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the seeded org', () => {
  const org = new SeededOrg();

  it('has the fixed divisions with their fixed ids, Home first', () => {
    expect(org.divisions.map((d) => [d.id, d.name, d.homeDivision])).toEqual([
      ['d0000000-0000-4000-8000-000000000000', 'Home', true],
      ['d0000000-0000-4000-8000-000000000001', 'Acme North', false],
      ['d0000000-0000-4000-8000-000000000002', 'Acme South', false],
      ['d0000000-0000-4000-8000-000000000003', 'Globex', false],
      ['d0000000-0000-4000-8000-000000000004', 'Initech', false],
    ]);
    expect(org.divisions[2]!.selfUri).toBe('/api/v2/authorization/divisions/d0000000-0000-4000-8000-000000000002');
  });

  it('encodes the owning division in every entity id, in UUID shape', () => {
    expect(queueId(2, 3)).toBe('a0000002-0000-4000-8000-000000000003');
    expect(userId(4, 12)).toBe('b0000004-0000-4000-8000-00000000000c');
    expect(conversationId(1, 20)).toBe('c0000001-0000-4000-8000-000000000014');
    for (const id of [...org.queues.map((q) => q.id), ...org.users.map((u) => u.id), ...org.conversations.map((c) => c.conversationId)]) {
      expect(id).toMatch(UUID);
    }
    for (const queue of org.queues) expect(queue.id.slice(1, 8)).toBe(queue.division.id.slice(-7));
    for (const user of org.users) expect(user.id.slice(1, 8)).toBe(user.division.id.slice(-7));
  });

  it('seeds the default sizes for every division, Home included, with unique queue names', () => {
    expect(org.queues).toHaveLength(5 * 30);
    expect(org.users).toHaveLength(5 * 12);
    expect(org.conversations).toHaveLength(5 * 20);
    expect(new Set(org.queues.map((q) => q.name)).size).toBe(org.queues.length);
    expect(org.queue(queueId(1, 1))!.name).toBe('Acme North Queue 1');
    expect(org.queues.filter((q) => q.division.id === divisionId(0))).toHaveLength(30);
  });

  it('gives the first queue of every BPO division one member from the next division, wrapping round', () => {
    for (let k = 1; k <= 4; k += 1) {
      const members = org.queueMembers.get(queueId(k, 1))!;
      const foreign = members.filter((member) => org.user(member)!.division.id !== divisionId(k));
      expect(foreign).toEqual([userId(k === 4 ? 1 : k + 1, 1)]);
    }
    for (const queue of org.queues.filter((q) => !q.id.endsWith('000000000001') || q.division.id === divisionId(0))) {
      for (const member of org.queueMembers.get(queue.id)!) expect(org.user(member)!.division.id).toBe(queue.division.id);
    }
    expect(org.queue(queueId(2, 1))!.memberCount).toBe(9);
    expect(org.queue(queueId(2, 2))!.memberCount).toBe(8);
  });

  it('names extra divisions "BPO NN" and keeps the cross-division wrap over all of them', () => {
    const big = new SeededOrg({ extraDivisions: 3, queuesPerDivision: 2, usersPerDivision: 2, conversationsPerDivision: 1 });
    expect(big.divisions.slice(5).map((d) => [d.id, d.name])).toEqual([
      [divisionId(5), 'BPO 05'],
      [divisionId(6), 'BPO 06'],
      [divisionId(7), 'BPO 07'],
    ]);
    expect(big.queueMembers.get(queueId(4, 1))).toContain(userId(5, 1));
    expect(big.queueMembers.get(queueId(7, 1))).toContain(userId(1, 1));
  });

  it('spans every fifth conversation over two divisions, with a queue and an agent of each (or a member of the queue from another division)', () => {
    for (const conversation of org.conversations) {
      const n = parseInt(conversation.conversationId.slice(-12), 16);
      expect(conversation.divisionIds).toHaveLength(n % 5 === 0 ? 2 : 1);
      expect(conversation.conversationId.slice(1, 8)).toBe(conversation.divisionIds[0]!.slice(-7));
      const queues = conversation.participants.flatMap((p) => p.sessions.flatMap((s) => s.segments.map((seg) => seg.queueId))).filter(Boolean) as string[];
      expect(new Set(queues.map((q) => org.queue(q)!.division.id))).toEqual(new Set(conversation.divisionIds));
      for (const participant of conversation.participants) {
        if (!participant.userId) continue;
        const ownDivision = conversation.divisionIds.includes(org.user(participant.userId)!.division.id);
        const queue = participant.sessions[0]!.segments[0]!.queueId!;
        expect(ownDivision || org.queueMembers.get(queue)!.includes(participant.userId)).toBe(true);
      }
      expect(conversation.conversationStart >= '2026-11-01T00:00:00.000Z').toBe(true);
      expect(conversation.conversationEnd < '2026-11-20T00:00:00.000Z').toBe(true);
      expect(conversation.conversationEnd > conversation.conversationStart).toBe(true);
    }
    const byForeignMember = org.conversations.filter((c) => c.divisionIds.length === 1 && c.participants.some((p) => p.userId && org.user(p.userId)!.division.id !== c.divisionIds[0]));
    expect(byForeignMember.map((c) => c.conversationId)).toContain(conversationId(2, 1));
    const mediaTypes = new Set(org.conversations.flatMap((c) => c.participants.flatMap((p) => p.sessions.map((s) => s.mediaType))));
    expect(mediaTypes).toEqual(new Set(['voice', 'chat', 'email', 'message']));
  });

  it('tells which divisions own any seeded id', () => {
    const spanning = org.conversations.find((c) => c.divisionIds.length === 2)!;
    expect(org.ownerDivisionsOf(divisionId(3))).toEqual([divisionId(3)]);
    expect(org.ownerDivisionsOf(queueId(2, 7))).toEqual([divisionId(2)]);
    expect(org.ownerDivisionsOf(userId(4, 1))).toEqual([divisionId(4)]);
    expect(org.ownerDivisionsOf(spanning.conversationId)).toEqual(spanning.divisionIds);
    expect(org.ownerDivisionsOf('ffffffff-ffff-4fff-8fff-ffffffffffff')).toEqual([]);
  });

  it('is deterministic: two orgs with the same seed are identical, and the seed changes them', () => {
    const snapshot = (o: SeededOrg) => JSON.stringify({ o, members: [...o.queueMembers] });
    expect(snapshot(new SeededOrg())).toBe(snapshot(new SeededOrg()));
    expect(JSON.stringify(new SeededOrg().conversations)).toBe(JSON.stringify(org.conversations));
    expect(new SeededOrg({ queuesPerDivision: 3 }).queues).toHaveLength(15);
  });

  it('rejects a seed that is not a non-negative integer', () => {
    expect(() => new SeededOrg({ queuesPerDivision: -1 })).toThrow(/queuesPerDivision/);
    expect(() => new SeededOrg({ extraDivisions: 1.5 })).toThrow(/extraDivisions/);
  });
});

describe('changing queues', () => {
  it('moves a queue to another division, re-sorting and re-owning it', () => {
    const org = new SeededOrg({ queuesPerDivision: 2 });
    const before = org.queuesByName();
    const moved = org.moveQueue(queueId(1, 2), divisionId(3));
    expect(moved.division).toEqual({ id: divisionId(3), name: 'Globex', selfUri: `/api/v2/authorization/divisions/${divisionId(3)}` });
    expect(org.ownerDivisionsOf(queueId(1, 2))).toEqual([divisionId(3)]);
    expect(org.revision).toBe(1);
    expect(org.queuesByName()).not.toBe(before);
    expect(() => org.moveQueue(queueId(1, 2), 'nope')).toThrow(/does not exist/);
    expect(() => org.moveQueue('nope', divisionId(1))).toThrow(/unknown queue/);
  });

  it('creates queues in Home by default with fresh owner-encoding ids, and deletes them', () => {
    const org = new SeededOrg({ queuesPerDivision: 2 });
    const home = org.createQueue({ name: 'New' });
    const acme = org.createQueue({ name: 'Acme new', divisionId: divisionId(1), description: 'd' });
    expect(home.id).toBe(queueId(0, 3));
    expect(acme).toMatchObject({ id: queueId(1, 3), description: 'd', memberCount: 0, division: { id: divisionId(1) } });
    expect(org.queuesByName().map((q) => q.name)).toContain('Acme new');
    expect(org.deleteQueue(acme.id)).toBe(true);
    expect(org.deleteQueue(acme.id)).toBe(false);
    expect(org.queue(acme.id)).toBeUndefined();
    expect(org.queueMembers.has(acme.id)).toBe(false);
    expect(org.queuesByName().map((q) => q.id)).not.toContain(acme.id);
  });
});
