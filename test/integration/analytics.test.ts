import request from 'supertest';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { divisionsOf, keys } from '../support/tenants.js';

const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
type Body = Record<string, unknown>;
type Predicate = { dimension: string; value?: string };
type Filter = { type: string; clauses?: { type: string; predicates: Predicate[] }[]; predicates?: Predicate[] };

const upstream = (h: Harness, correlationId: string, path: string) =>
  h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === correlationId && entry.path === path);
const sentBodies = (h: Harness, correlationId: string, path: string) => upstream(h, correlationId, path).map((entry) => JSON.parse(entry.body) as Body);
const valuesOf = (filter: Filter, dimension: string) =>
  [...(filter.predicates ?? []), ...(filter.clauses ?? []).flatMap((clause) => clause.predicates)].filter((p) => p.dimension === dimension).map((p) => p.value);
const post = (h: Harness, key: string, path: string, body: unknown, correlationId: string) =>
  request(h.url).post(path).set('X-API-Key', key).set('inin-correlation-id', correlationId).send(body as object);

const isAcme = (division: string) => (divisionsOf.acme as readonly string[]).includes(division);

describe('analytics, two tenants', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const acmeQueues = () => h.sim.org.queues.filter((queue) => isAcme(queue.division.id)).map((queue) => queue.id);
  const acmeUsers = () => h.sim.org.users.filter((user) => isAcme(user.division.id)).map((user) => user.id);
  const OBSERVATIONS = '/api/v2/analytics/queues/observations/query';

  it('queue observations without a queue ask Genesys for the tenant’s queues only, and return all of them', async () => {
    const body = { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }, { dimension: 'mediaType', value: 'chat' }] }, metrics: ['oMemberUsers', 'oWaiting'] };
    const res = await post(h, keys.acme, OBSERVATIONS, body, 'obs-all-queues').expect(200);
    const [sent] = sentBodies(h, 'obs-all-queues', OBSERVATIONS);
    expect(new Set(valuesOf(sent!['filter'] as Filter, 'queueId'))).toEqual(new Set(acmeQueues()));
    const seen = new Set((res.body.results as { group: { queueId: string } }[]).map((result) => result.group.queueId));
    expect(seen).toEqual(new Set(acmeQueues()));
    expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
  });

  it('queue observations naming another tenant’s queue are refused with 403 before Genesys', async () => {
    const body = { filter: { type: 'or', predicates: [{ dimension: 'queueId', value: queueId(1, 1) }, { dimension: 'queueId', value: queueId(3, 1) }] }, metrics: ['oWaiting'] };
    const res = await post(h, keys.acme, OBSERVATIONS, body, 'obs-foreign').expect(403);
    expect(res.body).toMatchObject({ code: 'not.authorized' });
    expect(upstream(h, 'obs-foreign', OBSERVATIONS)).toHaveLength(0);
  });

  it('queue observations for one own queue ask for that queue only', async () => {
    const body = { filter: { type: 'and', predicates: [{ dimension: 'queueId', value: queueId(2, 4) }] }, metrics: ['oWaiting'] };
    const res = await post(h, keys.acme, OBSERVATIONS, body, 'obs-one-queue').expect(200);
    expect(valuesOf(sentBodies(h, 'obs-one-queue', OBSERVATIONS)[0]!['filter'] as Filter, 'queueId')).toEqual([queueId(2, 4), queueId(2, 4)]);
    expect(new Set(res.body.results.map((result: { group: { queueId: string } }) => result.group.queueId))).toEqual(new Set([queueId(2, 4)]));
  });

  it('refuses observation bodies Genesys would not take, or that could change the meaning unseen', async () => {
    const bad = [
      { filter: { type: 'or', predicates: [{ dimension: 'divisionId', value: divisionId(1) }] }, metrics: ['oWaiting'] },
      { filter: { type: 'or', clauses: [{ type: 'or', clauses: [] }] }, metrics: ['oWaiting'] },
      { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting'], extra: true },
    ];
    for (const [i, body] of bad.entries()) {
      const res = await post(h, keys.acme, OBSERVATIONS, body, `obs-bad-${i}`).expect(400);
      expect(res.body).toMatchObject({ code: 'body.invalid' });
    }
  });

  const AGGREGATES = '/api/v2/analytics/conversations/aggregates/query';

  it('conversation aggregates ask for the tenant’s queues upstream and keep the tenant’s filter meaning', async () => {
    const filter = {
      type: 'or',
      clauses: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }, { dimension: 'direction', value: 'inbound' }] }],
      predicates: [{ dimension: 'mediaType', value: 'chat' }],
    };
    const res = await post(h, keys.acme, AGGREGATES, { interval, groupBy: ['queueId', 'mediaType'], metrics: ['nOffered'], filter }, 'agg-filter').expect(200);
    const sentFilters = sentBodies(h, 'agg-filter', AGGREGATES).map((sent) => sent['filter'] as Filter);
    for (const sentFilter of sentFilters) expect(sentFilter.clauses!.every((clause) => !('clauses' in clause))).toBe(true);
    expect(new Set(sentFilters.flatMap((sentFilter) => valuesOf(sentFilter, 'queueId')))).toEqual(new Set(acmeQueues()));
    const groups = (res.body.results ?? []) as { group: { queueId?: string; mediaType?: string } }[];
    expect(groups.length).toBeGreaterThan(0);
    for (const { group } of groups) {
      expect(['voice', 'chat']).toContain(group.mediaType);
      if (group.queueId) expect(acmeQueues()).toContain(group.queueId);
    }
    expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
  });

  it('conversation aggregates grouped by division show only the tenant’s divisions', async () => {
    const res = await post(h, keys.globex, AGGREGATES, { interval, groupBy: ['divisionId'], metrics: ['nOffered'] }, 'agg-division').expect(200);
    expect(res.body.results.map((result: { group: { divisionId: string } }) => result.group.divisionId)).toEqual([divisionId(3)]);
    await post(h, keys.globex, AGGREGATES, { interval, metrics: ['nOffered'], filter: { type: 'and', predicates: [{ dimension: 'divisionId', value: divisionId(1) }] } }, 'agg-foreign').expect(403);
  });

  const DETAILS = '/api/v2/analytics/conversations/details/query';
  const ownConversations = (divisions: readonly string[]) =>
    h.sim.org.conversations.filter((c) => c.divisionIds.every((id) => divisions.includes(id))).map((c) => c.conversationId).sort();

  it('details return exactly the conversations all of whose divisions are the tenant’s, over every page', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 10; page += 1) {
      const res = await post(h, keys.acme, DETAILS, { interval, paging: { pageSize: 7, pageNumber: page } }, `details-${page}`).expect(200);
      const conversations = (res.body.conversations ?? []) as { conversationId: string }[];
      seen.push(...conversations.map((c) => c.conversationId));
      expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
      // The first page reads the tenant's conversations once; the next pages come from that read.
      const sent = sentBodies(h, `details-${page}`, DETAILS);
      if (page === 1) expect(new Set(valuesOf((sent[0]!['conversationFilters'] as Filter[])[0]!, 'divisionId'))).toEqual(new Set(divisionsOf.acme));
      else expect(sent).toHaveLength(0);
      if (conversations.length === 0) break;
    }
    expect(seen.sort()).toEqual(ownConversations(divisionsOf.acme));
    expect(seen).toContain(conversationId(1, 5)); // spans Acme North and South: both the tenant's
    expect(seen).not.toContain(conversationId(2, 5)); // spans Acme South and Globex
  });

  it('a single conversation is the tenant’s only when all its divisions are', async () => {
    await request(h.url).get(`/api/v2/analytics/conversations/${conversationId(1, 5)}/details`).set('X-API-Key', keys.acme).expect(200);
    await request(h.url).get(`/api/v2/analytics/conversations/${conversationId(2, 5)}/details`).set('X-API-Key', keys.acme).expect(404);
    await request(h.url).get(`/api/v2/analytics/conversations/${conversationId(2, 5)}/details`).set('X-API-Key', keys.globex).expect(404);
  });

  it('a details job is bound to the tenant that created it, and its results are the tenant’s, over every cursor', async () => {
    const created = await post(h, keys.globex, '/api/v2/analytics/conversations/details/jobs', { interval }, 'job-create').expect(202);
    const jobId = created.body.jobId as string;
    expect(Object.keys(created.body)).toEqual(['jobId']);
    expect(new Set(valuesOf((sentBodies(h, 'job-create', '/api/v2/analytics/conversations/details/jobs')[0]!['conversationFilters'] as Filter[])[0]!, 'divisionId'))).toEqual(new Set(divisionsOf.globex));
    const base = `/api/v2/analytics/conversations/details/jobs/${jobId}`;
    await request(h.url).get(base).set('X-API-Key', keys.acme).expect(404);
    await request(h.url).get(`${base}/results`).set('X-API-Key', keys.acme).expect(404);
    const status = await request(h.url).get(base).set('X-API-Key', keys.globex).expect(200);
    expect(status.body.state).toBe('FULFILLED');
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const res = await request(h.url).get(`${base}/results?pageSize=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).set('X-API-Key', keys.globex).expect(200);
      seen.push(...((res.body.conversations ?? []) as { conversationId: string }[]).map((c) => c.conversationId));
      expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.globex));
      cursor = res.body.cursor;
      if (!cursor) break;
    }
    expect(seen.sort()).toEqual(ownConversations(divisionsOf.globex));
  });

  const USER_OBSERVATIONS = '/api/v2/analytics/users/observations/query';

  it('user observations are restricted to the tenant’s users', async () => {
    const res = await post(h, keys.acme, USER_OBSERVATIONS, { filter: { type: 'or', predicates: [{ dimension: 'userId', operator: 'exists' }] }, metrics: ['oUserPresences'] }, 'user-obs').expect(200);
    expect(new Set(valuesOf(sentBodies(h, 'user-obs', USER_OBSERVATIONS)[0]!['filter'] as Filter, 'userId').filter(Boolean))).toEqual(new Set(acmeUsers()));
    expect(new Set(res.body.results.map((result: { group: { userId: string } }) => result.group.userId))).toEqual(new Set(acmeUsers()));
    await post(h, keys.acme, USER_OBSERVATIONS, { filter: { type: 'or', predicates: [{ dimension: 'userId', value: userId(3, 2) }] }, metrics: ['oUserPresences'] }, 'user-obs-foreign').expect(403);
  });

  it('user aggregates are restricted to the tenant’s users', async () => {
    const path = '/api/v2/analytics/users/aggregates/query';
    const res = await post(h, keys.globex, path, { interval, groupBy: ['userId'], metrics: ['tAgentRoutingStatus'] }, 'user-agg').expect(200);
    const globexUsers = h.sim.org.users.filter((user) => user.division.id === divisionId(3)).map((user) => user.id);
    expect(new Set(valuesOf(sentBodies(h, 'user-agg', path)[0]!['filter'] as Filter, 'userId'))).toEqual(new Set(globexUsers));
    expect(new Set(res.body.results.map((result: { group: { userId: string } }) => result.group.userId))).toEqual(new Set(globexUsers));
  });
});

describe('analytics for a tenant with many queues', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulator: { seed: { queuesPerDivision: 130 } } });
  });
  afterAll(() => h.close());

  it('splits queue observations into queries of at most 100 queues and merges the answers', async () => {
    const path = '/api/v2/analytics/queues/observations/query';
    const body = { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oMemberUsers'] };
    const res = await post(h, keys.acme, path, body, 'obs-chunked').expect(200);
    const sent = sentBodies(h, 'obs-chunked', path).map((b) => valuesOf(b['filter'] as Filter, 'queueId'));
    expect(sent.length).toBe(3);
    for (const chunk of sent) expect(chunk.length).toBeLessThanOrEqual(100);
    const acmeQueues = h.sim.org.queues.filter((queue) => isAcme(queue.division.id)).map((queue) => queue.id);
    expect(new Set(sent.flat())).toEqual(new Set(acmeQueues));
    expect(new Set(res.body.results.map((result: { group: { queueId: string } }) => result.group.queueId))).toEqual(new Set(acmeQueues));
    expect(res.body.results).toHaveLength(acmeQueues.length);
  });
});
