import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AnalyticsConversation } from '../../src/simulator/model.js';
import type { SeededOrg } from '../../src/simulator/org.js';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { divisionsOf, keys, tenantYaml, testTenantFiles } from '../support/tenants.js';
import { testRedisUrl } from '../support/redis-server.js';

/**
 * The analytics leaks a hostile tenant could use, one test per case: each failed before the
 * analytics rows were scoped by own queues, own agents and exact paging.
 */
const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
const AGGREGATES = '/api/v2/analytics/conversations/aggregates/query';
const OBSERVATIONS = '/api/v2/analytics/queues/observations/query';
const DETAILS = '/api/v2/analytics/conversations/details/query';
const JOBS = '/api/v2/analytics/conversations/details/jobs';
const twinKey = 'gdp_test_twin_key_00000000000000000000000000000';

const post = (h: Harness, key: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
  let req = request(h.url).post(path).set('X-API-Key', key);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req.send(body as object);
};
const withoutContext = (body: Record<string, unknown>) => ({ ...body, contextId: undefined });
const predicate = (dimension: string, value: string) => ({ type: 'and', predicates: [{ dimension, value }] });

type Figures = Map<string, { count: number; sum: number; min: number; max: number }>;

/**
 * What the tenant's figures are by definition: the metrics of the sessions handled in its own
 * queues, grouped by `key` (undefined: the session is not counted).
 */
function ownQueueFigures(org: SeededOrg, divisions: readonly string[], metric: string, key: (conversation: AnalyticsConversation, mediaType: string, queue: string) => string): Figures {
  const figures: Figures = new Map();
  for (const conversation of org.conversations) {
    for (const participant of conversation.participants) {
      for (const session of participant.sessions) {
        const queue = session.segments.find((segment) => segment.queueId)?.queueId;
        if (!queue || !divisions.includes(org.queue(queue)!.division.id)) continue;
        for (const found of session.metrics.filter((m) => m.name === metric)) {
          const group = key(conversation, session.mediaType, queue);
          const stats = figures.get(group) ?? { count: 0, sum: 0, min: Infinity, max: -Infinity };
          figures.set(group, { count: stats.count + 1, sum: stats.sum + found.value, min: Math.min(stats.min, found.value), max: Math.max(stats.max, found.value) });
        }
      }
    }
  }
  return figures;
}

function answeredFigures(body: { results?: { group: Record<string, string>; data: { metrics: { metric: string; stats: Record<string, number> }[] }[] }[] }, metric: string, key: (group: Record<string, string>) => string): Figures {
  const figures: Figures = new Map();
  for (const result of body.results ?? []) {
    for (const entry of result.data) {
      for (const found of entry.metrics.filter((m) => m.metric === metric)) {
        const { count = 0, sum = 0, min = Infinity, max = -Infinity } = found.stats;
        figures.set(key(result.group), { count, sum, min, max });
      }
    }
  }
  return figures;
}

/** Globex and Twin share Globex's one division: their upstream queries are byte for byte the same. */
const tenantsWithTwin = () => buildRegistry([...testTenantFiles(), { file: 'twin.yaml', text: tenantYaml('twin', [divisionId(3)], [{ id: 'twin-1', key: twinKey }]) }]);

async function expectJobsNotShared(h: Harness): Promise<void> {
  h.sim.faults.add({ kind: 'delay', ms: 300, pathPrefix: JOBS });
  const [globex, twin] = await Promise.all([post(h, keys.globex, JOBS, { interval }).expect(202), post(h, twinKey, JOBS, { interval }).expect(202)]);
  h.sim.faults.clear();
  expect(globex.body.jobId).not.toBe(twin.body.jobId);
  for (const [key, own, other] of [[keys.globex, globex.body.jobId, twin.body.jobId], [twinKey, twin.body.jobId, globex.body.jobId]] as const) {
    await request(h.url).get(`${JOBS}/${own}`).set('X-API-Key', key).expect(200);
    await request(h.url).get(`${JOBS}/${other}`).set('X-API-Key', key).expect(404);
    await request(h.url).get(`${JOBS}/${other}/results`).set('X-API-Key', key).expect(404);
  }
}

describe('analytics that cannot leak', () => {
  let h: Harness;
  beforeAll(async () => {
    // The read cache on: nothing a job creates may come from it.
    h = await startHarness({ tenants: tenantsWithTwin(), env: { READ_CACHE_TTL_MS: '5000' } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  it('case 1: conversation aggregates refuse another tenant’s queue or agent in the filter, answered as for an id that does not exist', async () => {
    // Globex's first queue took transfers from Acme South; its first agent handled them.
    const transferTarget = queueId(3, 1);
    expect(h.sim.org.conversations.some((c) => c.divisionIds.includes(divisionId(2)) && c.divisionIds.includes(divisionId(3)))).toBe(true);
    const foreignQueue = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tHandle', 'tTalk'], filter: predicate('queueId', transferTarget) }).expect(403);
    const unknownQueue = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tHandle', 'tTalk'], filter: predicate('queueId', queueId(3, 999)) }).expect(403);
    expect(withoutContext(foreignQueue.body)).toEqual(withoutContext(unknownQueue.body));
    expect(foreignQueue.body.code).toBe('not.authorized');
    const foreignAgent = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tHandle'], groupBy: ['mediaType'], filter: predicate('userId', userId(3, 1)) }).expect(403);
    const unknownAgent = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tHandle'], groupBy: ['mediaType'], filter: predicate('userId', userId(3, 999)) }).expect(403);
    expect(withoutContext(foreignAgent.body)).toEqual(withoutContext(unknownAgent.body));
    await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tHandle'], filter: predicate('wrapUpCode', 'anything') }).expect(400);
    // Ungrouped, the tenant's handle time is that of its own queues: the Globex leg is not in it.
    const ungrouped = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tHandle'] }).expect(200);
    expect(answeredFigures(ungrouped.body, 'tHandle', () => 'all')).toEqual(ownQueueFigures(h.sim.org, divisionsOf.acme, 'tHandle', () => 'all'));
  });

  it('case 2: aggregates grouped by divisionId or mediaType count only segments handled in the tenant’s own queues', async () => {
    const org = h.sim.org;
    const byMedia = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tTalk'], groupBy: ['mediaType'] }).expect(200);
    expect(answeredFigures(byMedia.body, 'tTalk', (group) => group['mediaType']!)).toEqual(ownQueueFigures(org, divisionsOf.acme, 'tTalk', (_c, mediaType) => mediaType));
    const byDivision = await post(h, keys.acme, AGGREGATES, { interval, metrics: ['tTalk', 'tWait'], groupBy: ['divisionId'] }).expect(200);
    const divisionOfQueue = (_c: AnalyticsConversation, _m: string, queue: string) => org.queue(queue)!.division.id;
    expect(answeredFigures(byDivision.body, 'tTalk', (group) => group['divisionId']!)).toEqual(ownQueueFigures(org, divisionsOf.acme, 'tTalk', divisionOfQueue));
    expect(answeredFigures(byDivision.body, 'tWait', (group) => group['divisionId']!)).toEqual(ownQueueFigures(org, divisionsOf.acme, 'tWait', divisionOfQueue));
    expect(byDivision.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
  });

  it('case 3: queue observations of an own queue count only the tenant’s own agents, and detail entries name none of another tenant’s', async () => {
    const queue = queueId(2, 1); // Acme South's first queue has a Globex agent as a member
    const members = h.sim.org.queueMembers.get(queue)!;
    expect(members).toContain(userId(3, 1));
    const own = members.filter((member) => member !== userId(3, 1));
    const metrics = ['oMemberUsers', 'oActiveUsers', 'oOnQueueUsers', 'oOffQueueUsers', 'oUserRoutingStatuses', 'oUserPresences', 'oInteracting'];
    const res = await post(h, keys.acme, OBSERVATIONS, { filter: predicate('queueId', queue), metrics, detailMetrics: ['oInteracting', 'oUserPresences'] }).expect(200);
    const data = (res.body.results as { group: { queueId: string; mediaType?: string }; data: { metric: string; stats: { count: number } }[] }[]).flatMap((result) => result.data);
    const total = (metric: string) => data.filter((d) => d.metric === metric).reduce((sum, d) => sum + d.stats.count, 0);
    expect(total('oMemberUsers')).toBe(own.length);
    expect(total('oUserRoutingStatuses')).toBe(own.length);
    expect(total('oUserPresences')).toBe(own.length);
    expect(total('oActiveUsers')).toBe(total('oOnQueueUsers') + total('oOffQueueUsers'));
    expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
  });

  it('case 3: presence mappings, which may name another tenant’s presence definitions, are not passed on', async () => {
    const body = { filter: predicate('queueId', queueId(2, 1)), metrics: ['oUserPresences'] };
    // The simulator sends the mappings with oUserPresences, as Genesys does (simulator-analytics tests).
    const res = await post(h, keys.acme, OBSERVATIONS, body).expect(200);
    expect(res.body).not.toHaveProperty('systemToOrganizationMappings');
  });

  it('case 4: details pages are full except the last, totalHits counts visible conversations on every page and past the end, and filters naming foreign ids are refused', async () => {
    const visible = h.sim.org.conversations.filter((c) => c.divisionIds.every((id) => (divisionsOf.acme as readonly string[]).includes(id))).length;
    const pageSize = 7;
    const pages = Math.ceil(visible / pageSize);
    for (let page = 1; page <= pages + 1; page += 1) {
      const res = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize, pageNumber: page } }).expect(200);
      expect(res.body.totalHits).toBe(visible);
      const expected = page < pages ? pageSize : page === pages ? visible - (pages - 1) * pageSize : 0;
      expect(res.body.conversations ?? []).toHaveLength(expected);
    }
    for (const field of ['segmentFilters', 'evaluationFilters', 'surveyFilters']) {
      const foreign = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 1, pageNumber: 99 }, [field]: [predicate('queueId', queueId(3, 1))] }).expect(403);
      const unknown = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 1, pageNumber: 99 }, [field]: [predicate('queueId', queueId(3, 999))] }).expect(403);
      expect(withoutContext(foreign.body)).toEqual(withoutContext(unknown.body));
    }
    const agent = await post(h, keys.acme, DETAILS, { interval, segmentFilters: [predicate('userId', userId(3, 1))] }).expect(403);
    expect(agent.body.code).toBe('not.authorized');
  });

  it('case 5: two tenants on the same division creating identical jobs at once get two distinct jobs, each readable only by its creator', async () => {
    await expectJobsNotShared(h);
  });

  it('case 5, with the read cache in Redis: identical jobs are still two jobs, each its creator’s', async () => {
    const env = { READ_CACHE_TTL_MS: '5000', REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: `gdp-analytics:${randomUUID()}:` };
    const withRedis = await startHarness({ tenants: tenantsWithTwin(), env });
    try {
      await expectJobsNotShared(withRedis);
      await expectJobsNotShared(withRedis);
    } finally {
      await withRedis.close();
    }
  });

  it('case 6: another tenant’s agent inside a visible conversation is redacted, in details, single conversations and job results', async () => {
    const shared = conversationId(2, 1); // Acme South's, handled by a Globex agent who is a member of its queue
    const conversation = h.sim.org.conversation(shared)!;
    expect(conversation.divisionIds).toEqual([divisionId(2)]);
    expect(conversation.participants.some((p) => p.userId === userId(3, 1))).toBe(true);
    const single = await request(h.url).get(`/api/v2/analytics/conversations/${shared}/details`).set('X-API-Key', keys.acme).expect(200);
    const agent = (single.body.participants as { purpose: string; userId?: string; participantName?: string }[]).find((p) => p.purpose === 'agent')!;
    expect(agent.userId).toBeUndefined();
    expect(agent.participantName).toBeUndefined();
    expect(single.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
    expect(single.text).not.toContain(conversation.participants.find((p) => p.userId === userId(3, 1))!.participantName);
    const details = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 100 } }).expect(200);
    expect((details.body.conversations as { conversationId: string }[]).map((c) => c.conversationId)).toContain(shared);
    expect(details.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
    const job = await post(h, keys.acme, JOBS, { interval }).expect(202);
    await request(h.url).get(`${JOBS}/${job.body.jobId}`).set('X-API-Key', keys.acme).expect(200);
    const results = await request(h.url).get(`${JOBS}/${job.body.jobId}/results`).set('X-API-Key', keys.acme).expect(200);
    expect(results.text).toContain(shared);
    expect(results.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
  });

  it('case 7: bodies Genesys accepts are accepted, with Genesys’s defaults (paging without pageNumber is the first page)', async () => {
    const first = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 100 } }).expect(200);
    const explicit = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 100, pageNumber: 1 } }).expect(200);
    expect(first.body).toEqual(explicit.body);
    const defaults = await post(h, keys.acme, DETAILS, { interval }).expect(200);
    expect(defaults.body.conversations).toHaveLength(25);
    await post(h, keys.acme, DETAILS, { interval, paging: { pageNumber: 2 } }).expect(200);
    await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 100 }, surprise: 1 }).expect(400);
  });

  it('a details query selecting more conversations than DETAILS_SCAN_MAX_CONVERSATIONS is refused, asking to narrow the interval', async () => {
    const small = await startHarness({ env: { DETAILS_SCAN_MAX_CONVERSATIONS: '100' }, simulator: { seed: { conversationsPerDivision: 80 } } });
    try {
      const res = await post(small, keys.acme, DETAILS, { interval }).expect(400);
      expect(res.body.message).toContain('narrow the interval');
      await post(small, keys.acme, DETAILS, { interval: '2026-11-01T00:00:00.000Z/2026-11-03T00:00:00.000Z' }).expect(200);
    } finally {
      await small.close();
    }
  });

  it('presence definitions are org-wide reference data: a definition of another tenant’s division is not listed', async () => {
    const current = await request(h.url).get('/api/v2/presence/definitions').set('X-API-Key', keys.acme).expect(200);
    const names = (current.body.entities as { name: string }[]).map((d) => d.name);
    expect(names).toContain('Available');
    expect(names).toContain('Acme coaching');
    expect(names).not.toContain('Globex huddle');
    expect(current.body.total).toBe(names.length);
    const legacy = await request(h.url).get('/api/v2/presencedefinitions?pageSize=3&deleted=ALL').set('X-API-Key', keys.globex).expect(200);
    expect(legacy.body.total).toBe(8);
    expect(legacy.body.entities).toHaveLength(3);
    expect(legacy.text).not.toContain('createdBy');
  });
});
