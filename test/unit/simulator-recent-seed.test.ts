import { SeededOrg } from '../../src/simulator/org.js';
import { recentConversations } from '../../src/simulator/seed-org.js';

const DAY = 86_400_000;

describe('a demo org’s analytics', () => {
  it('fall in the days before now, with some in the last 7 days, and otherwise the same conversations', () => {
    const now = Date.parse('2027-03-15T10:30:00Z');
    const recent = new SeededOrg(recentConversations(now)).conversations;
    const fixed = new SeededOrg().conversations;
    const starts = recent.map((c) => Date.parse(c.conversationStart));
    for (const start of starts) expect(start).toBeGreaterThanOrEqual(now - 20 * DAY);
    for (const conversation of recent) expect(Date.parse(conversation.conversationEnd!)).toBeLessThan(now);
    expect(starts.filter((start) => start >= now - 7 * DAY).length).toBeGreaterThan(10);
    expect(recent.map((c) => c.conversationId)).toEqual(fixed.map((c) => c.conversationId));
  });
});
