import request from 'supertest';
import { createSimulator, type AnalyticsConversation, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';
import { divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';

const WHOLE = '2026-11-01T00:00:00.000Z/2026-11-21T00:00:00.000Z';
const byDimension = (dimension: string, ...values: string[]) => ({ type: 'or', predicates: values.map((value) => ({ type: 'dimension', dimension, operator: 'matches', value })) });

async function loginTo(url: string): Promise<string> {
  const res = await request(url).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials');
  return res.body.access_token as string;
}

describe('simulator analytics', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  let token: string;
  const post = (path: string, body: unknown) => request(running.url).post(`/api/v2/analytics${path}`).set('Authorization', `Bearer ${token}`).send(body as object);
  const get = (path: string) => request(running.url).get(`/api/v2/analytics${path}`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    sim = createSimulator({ jobPollsUntilFulfilled: 2 });
    running = await sim.listen(0);
    token = await loginTo(running.url);
  });
  afterAll(() => running.close());

  describe('queue observations', () => {
    it('answers per queue and media type for the queues the filter names', async () => {
      const res = await post('/queues/observations/query', { filter: byDimension('queueId', queueId(1, 1), queueId(3, 2)), metrics: ['oWaiting', 'oInteracting'] }).expect(200);
      const groups = res.body.results.map((r: { group: Record<string, string> }) => r.group);
      expect(new Set(groups.map((g: { queueId: string }) => g.queueId))).toEqual(new Set([queueId(1, 1), queueId(3, 2)]));
      expect(groups).toHaveLength(8);
      for (const result of res.body.results) {
        expect(result.data.map((d: { metric: string }) => d.metric)).toEqual(['oWaiting', 'oInteracting']);
        expect(result.data[0].stats.count).toEqual(expect.any(Number));
      }
      expect(res.body).not.toHaveProperty('systemToOrganizationMappings');
    });

    it('narrows by mediaType within a clause', async () => {
      const filter = { type: 'and', clauses: [byDimension('queueId', queueId(2, 2)), byDimension('mediaType', 'voice', 'chat')] };
      const res = await post('/queues/observations/query', { filter, metrics: ['oWaiting'] }).expect(200);
      expect(res.body.results.map((r: { group: { mediaType: string } }) => r.group.mediaType).sort()).toEqual(['chat', 'voice']);
    });

    it('reports agent metrics per queue only, with qualifiers, and presence mappings when asked', async () => {
      const res = await post('/queues/observations/query', { filter: byDimension('queueId', queueId(2, 1)), metrics: ['oOnQueueUsers', 'oMemberUsers', 'oUserPresences'] }).expect(200);
      expect(res.body.results).toHaveLength(1);
      expect(res.body.results[0].group).toEqual({ queueId: queueId(2, 1) });
      const data = res.body.results[0].data as { metric: string; qualifier?: string; stats: { count: number } }[];
      expect(data.find((d) => d.metric === 'oMemberUsers')!.stats.count).toBe(9);
      for (const d of data.filter((d) => d.metric !== 'oMemberUsers')) expect(d.qualifier).toEqual(expect.any(String));
      const presences = data.filter((d) => d.metric === 'oUserPresences').reduce((sum, d) => sum + d.stats.count, 0);
      expect(presences).toBe(9);
      expect(Object.keys(res.body.systemToOrganizationMappings)).toContain('AVAILABLE');
    });

    it('rejects a divisionId predicate as Genesys’s enum validation does, and nested clauses', async () => {
      const res = await post('/queues/observations/query', { filter: byDimension('divisionId', divisionId(1)), metrics: ['oWaiting'] }).expect(400);
      expect(res.body).toMatchObject({ code: 'invalid.value', status: 400 });
      expect(res.body.message).toMatch(/^Value \[divisionId\] is not valid for field type \[\w+\]\. Allowable values are: mediaType, queueId$/);
      const nested = { type: 'and', clauses: [{ type: 'or', clauses: [byDimension('queueId', queueId(1, 1))], predicates: [] }] };
      expect((await post('/queues/observations/query', { filter: nested, metrics: ['oWaiting'] }).expect(400)).body.code).toBe('bad.request');
      expect((await post('/queues/observations/query', { filter: byDimension('queueId', queueId(1, 1)), metrics: ['oBogus'] }).expect(400)).body.code).toBe('invalid.value');
      await post('/queues/observations/query', { metrics: ['oWaiting'] }).expect(400);
    });
  });

  describe('user observations and aggregates', () => {
    it('groups observations by userId and accepts only the userId dimension', async () => {
      const res = await post('/users/observations/query', { filter: byDimension('userId', userId(1, 1), userId(2, 1)), metrics: ['oUserRoutingStatuses', 'oMemberQueues'] }).expect(200);
      expect(res.body.results.map((r: { group: { userId: string } }) => r.group.userId).sort()).toEqual([userId(1, 1), userId(2, 1)]);
      const member = res.body.results.find((r: { group: { userId: string } }) => r.group.userId === userId(2, 1));
      // Member of every Acme South queue, plus the first Acme North queue as the cross-division member.
      expect(member.data.find((d: { metric: string }) => d.metric === 'oMemberQueues').stats.count).toBe(31);
      expect((await post('/users/observations/query', { filter: byDimension('queueId', queueId(1, 1)), metrics: ['oUserPresences'] }).expect(400)).body.code).toBe('invalid.value');
    });

    it('aggregates user status time per user', async () => {
      const res = await post('/users/aggregates/query', { interval: WHOLE, filter: byDimension('userId', userId(4, 2)), metrics: ['tSystemPresence'] }).expect(200);
      expect(res.body.results).toHaveLength(1);
      expect(res.body.results[0].group).toEqual({ userId: userId(4, 2) });
      expect(res.body.results[0].data[0].metrics[0]).toMatchObject({ metric: 'tSystemPresence', qualifier: expect.any(String), stats: { sum: expect.any(Number) } });
      expect((await post('/users/aggregates/query', { interval: WHOLE, filter: byDimension('divisionId', divisionId(1)), metrics: ['tSystemPresence'] }).expect(400)).body.code).toBe('invalid.value');
    });
  });

  describe('conversation aggregates', () => {
    const inDivision = (k: number) => sim.org.conversations.filter((c) => c.divisionIds.includes(divisionId(k)));

    it('groups by divisionId with count stats for n-metrics and timer stats for t-metrics', async () => {
      const res = await post('/conversations/aggregates/query', { interval: WHOLE, groupBy: ['divisionId'], metrics: ['nOffered', 'tHandle'] }).expect(200);
      const results = res.body.results as { group: { divisionId: string }; data: { interval: string; metrics: { metric: string; stats: Record<string, number> }[] }[] }[];
      expect(results).toHaveLength(5);
      for (let k = 0; k <= 4; k += 1) {
        const group = results.find((r) => r.group.divisionId === divisionId(k))!;
        expect(group.data).toHaveLength(1);
        expect(group.data[0]!.interval).toBe(WHOLE);
        const offered = inDivision(k).reduce((sum, c) => sum + c.participants.filter((p) => p.purpose === 'acd').length, 0);
        expect(group.data[0]!.metrics.find((m) => m.metric === 'nOffered')!.stats).toEqual({ count: offered });
        expect(Object.keys(group.data[0]!.metrics.find((m) => m.metric === 'tHandle')!.stats).sort()).toEqual(['count', 'max', 'min', 'sum']);
      }
    });

    it('puts a two-division conversation in the groups of both its divisions', async () => {
      const spanning = sim.org.conversations.find((c) => c.divisionIds.length === 2)!;
      const filter = byDimension('conversationId', spanning.conversationId);
      const res = await post('/conversations/aggregates/query', { interval: WHOLE, groupBy: ['divisionId', 'conversationId'], filter, metrics: ['tTalk'] }).expect(200);
      expect(res.body.results.map((r: { group: object }) => r.group)).toEqual(spanning.divisionIds.map((d) => ({ divisionId: d, conversationId: spanning.conversationId })));
    });

    it('filters by divisionId and splits by granularity', async () => {
      const filter = byDimension('divisionId', divisionId(3));
      const res = await post('/conversations/aggregates/query', { interval: WHOLE, granularity: 'P1D', filter, metrics: ['nOffered'] }).expect(200);
      expect(res.body.results).toHaveLength(1);
      const days = res.body.results[0].data as { interval: string; metrics: { stats: { count: number } }[] }[];
      expect(days.length).toBeGreaterThan(1);
      for (const day of days) expect(Date.parse(day.interval.split('/')[1]!) - Date.parse(day.interval.split('/')[0]!)).toBe(86_400_000);
      const offered = days.reduce((sum, day) => sum + day.metrics[0]!.stats.count, 0);
      expect(offered).toBe(inDivision(3).reduce((sum, c) => sum + c.participants.filter((p) => p.purpose === 'acd').length, 0));
    });

    it('answers no results when nothing matches, and validates the query', async () => {
      const none = await post('/conversations/aggregates/query', { interval: '2025-01-01T00:00:00Z/2025-01-02T00:00:00Z', metrics: ['nOffered'] }).expect(200);
      expect(none.body).toEqual({});
      await post('/conversations/aggregates/query', { interval: WHOLE, metrics: ['nBogus'] }).expect(400);
      await post('/conversations/aggregates/query', { interval: WHOLE, groupBy: ['color'], metrics: ['nOffered'] }).expect(400);
      await post('/conversations/aggregates/query', { metrics: ['nOffered'] }).expect(400);
    });
  });

  describe('conversation details', () => {
    const ofDivision = (k: number) => sim.org.conversations.filter((c) => c.divisionIds.includes(divisionId(k)));

    it('matches a divisionId filter against any of a conversation’s divisions', async () => {
      const res = await post('/conversations/details/query', { interval: WHOLE, conversationFilters: [byDimension('divisionId', divisionId(2))], paging: { pageSize: 100 } }).expect(200);
      const found = res.body.conversations as AnalyticsConversation[];
      expect(res.body.totalHits).toBe(ofDivision(2).length);
      expect(found.map((c) => c.conversationId).sort()).toEqual(ofDivision(2).map((c) => c.conversationId).sort());
      expect(found.some((c) => c.divisionIds.length === 2 && c.divisionIds[0] !== divisionId(2))).toBe(true);
    });

    it('ANDs filters in a list and evaluates segment filters within one segment', async () => {
      const segmentFilters = [{ type: 'and', predicates: [{ dimension: 'queueId', value: queueId(1, 1) }, { dimension: 'purpose', value: 'agent' }] }];
      const res = await post('/conversations/details/query', { interval: WHOLE, segmentFilters, conversationFilters: [byDimension('originatingDirection', 'inbound')], paging: { pageSize: 100 } }).expect(200);
      const found = res.body.conversations as AnalyticsConversation[];
      expect(found.length).toBeGreaterThan(0);
      for (const conversation of found) {
        expect(conversation.originatingDirection).toBe('inbound');
        const agentOnQueue = conversation.participants.some((p) => p.purpose === 'agent' && p.sessions.some((s) => s.segments.some((seg) => seg.queueId === queueId(1, 1))));
        expect(agentOnQueue).toBe(true);
      }
      const abandoned = await post('/conversations/details/query', { interval: WHOLE, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'userId', operator: 'notExists' }, { dimension: 'purpose', value: 'agent' }] }] }).expect(200);
      expect(abandoned.body).toEqual({ totalHits: 0 });
    });

    it('respects the interval, paging and order', async () => {
      const day = '2026-11-05T00:00:00.000Z/2026-11-06T00:00:00.000Z';
      const expected = sim.org.conversations.filter((c) => c.conversationStart >= '2026-11-05' && c.conversationStart < '2026-11-06').map((c) => c.conversationStart).sort();
      const res = await post('/conversations/details/query', { interval: day, order: 'desc', paging: { pageSize: 100 } }).expect(200);
      expect(res.body.totalHits).toBe(expected.length);
      expect(res.body.conversations.map((c: AnalyticsConversation) => c.conversationStart)).toEqual([...expected].reverse());
      const page2 = await post('/conversations/details/query', { interval: WHOLE, paging: { pageSize: 10, pageNumber: 2 } }).expect(200);
      expect(page2.body.conversations).toHaveLength(10);
      expect(page2.body.totalHits).toBe(100);
    });

    it('leaves out an empty conversations list, unless configured to keep it', async () => {
      const empty = { interval: '2025-01-01T00:00:00Z/2025-01-02T00:00:00Z' };
      expect((await post('/conversations/details/query', empty).expect(200)).body).toEqual({ totalHits: 0 });
      const keeping = createSimulator({ omitEmptyAnalyticsResults: false });
      const keepingRunning = await keeping.listen(0);
      try {
        const keepToken = await loginTo(keepingRunning.url);
        const res = await request(keepingRunning.url).post('/api/v2/analytics/conversations/details/query').set('Authorization', `Bearer ${keepToken}`).send(empty).expect(200);
        expect(res.body).toEqual({ conversations: [], totalHits: 0 });
      } finally {
        await keepingRunning.close();
      }
    });

    it('serves one conversation and several by id', async () => {
      const spanning = sim.org.conversations.find((c) => c.divisionIds.length === 2)!;
      expect((await get(`/conversations/${spanning.conversationId}/details`).expect(200)).body).toEqual(spanning);
      await get('/conversations/ffffffff-ffff-4fff-8fff-ffffffffffff/details').expect(404);
      const two = sim.org.conversations.slice(0, 2).map((c) => c.conversationId);
      const res = await get(`/conversations/details?id=${two.join(',')},ffffffff-ffff-4fff-8fff-ffffffffffff`).expect(200);
      expect(res.body.conversations.map((c: AnalyticsConversation) => c.conversationId)).toEqual(two);
    });
  });

  describe('async details jobs', () => {
    it('answers PENDING for the configured polls, then pages results by cursor', async () => {
      const query = { interval: WHOLE, conversationFilters: [byDimension('divisionId', divisionId(1))] };
      const submitted = await post('/conversations/details/jobs', query).expect(202);
      const jobId = submitted.body.jobId as string;
      expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await get(`/conversations/details/jobs/${jobId}`).expect(200)).body.state).toBe('PENDING');
      await get(`/conversations/details/jobs/${jobId}/results`).expect(400);
      expect((await get(`/conversations/details/jobs/${jobId}`).expect(200)).body).not.toHaveProperty('completionDate');
      const done = await get(`/conversations/details/jobs/${jobId}`).expect(200);
      expect(done.body).toMatchObject({ state: 'FULFILLED', submissionDate: expect.any(String), expirationDate: expect.any(String), completionDate: expect.any(String) });

      const collected: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await get(`/conversations/details/jobs/${jobId}/results?pageSize=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        expect(res.body.dataAvailabilityDate).toEqual(expect.any(String));
        collected.push(...res.body.conversations.map((c: AnalyticsConversation) => c.conversationId));
        cursor = res.body.cursor;
        pages += 1;
      } while (cursor);
      const sync = await post('/conversations/details/query', { ...query, paging: { pageSize: 100 } }).expect(200);
      expect(collected).toEqual(sync.body.conversations.map((c: AnalyticsConversation) => c.conversationId));
      expect(pages).toBe(Math.ceil(collected.length / 7));
      await get(`/conversations/details/jobs/${jobId}/results?cursor=garbage`).expect(400);

      await request(running.url).delete(`/api/v2/analytics/conversations/details/jobs/${jobId}`).set('Authorization', `Bearer ${token}`).expect(204);
      await get(`/conversations/details/jobs/${jobId}`).expect(404);
      await get(`/conversations/details/jobs/${jobId}/results`).expect(404);
    });

    it('validates the job query and reports data availability', async () => {
      await post('/conversations/details/jobs', { conversationFilters: [] }).expect(400);
      expect((await get('/conversations/details/jobs/availability').expect(200)).body).toEqual({ dataAvailabilityDate: expect.any(String) });
    });
  });
});
