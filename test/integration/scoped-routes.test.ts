import request from 'supertest';
import { policyTable } from '../../src/scoping/policy-table.js';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { keys } from '../support/tenants.js';

const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
const auditLines = (h: Harness) => h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['log'] === 'audit');

type Tenant = 'acme' | 'globex';
interface Sample {
  readonly tenant: Tenant;
  readonly method: 'get' | 'head' | 'post' | 'put' | 'delete';
  readonly path: (h: Harness, state: Record<string, string>) => string;
  readonly body?: unknown;
  readonly status: number;
  /** Some answers name the shared Home division by design (wrap-up codes). */
  readonly mayNameHome?: boolean;
  readonly after?: (body: Record<string, unknown>, state: Record<string, string>) => void;
}

/**
 * One request per row of the policy table, each of which must succeed for the tenant and name
 * nothing of another tenant's divisions. A row added to the table without a sample here fails.
 */
const samples: Record<string, Sample> = {
  'GET /api/v2/routing/queues': { tenant: 'acme', method: 'get', path: () => '/api/v2/routing/queues?pageSize=100', status: 200 },
  'POST /api/v2/routing/queues': { tenant: 'globex', method: 'post', path: () => '/api/v2/routing/queues', body: { name: 'Globex New', division: { id: divisionId(3) } }, status: 200 },
  'GET /api/v2/routing/queues/divisionviews': { tenant: 'acme', method: 'get', path: () => '/api/v2/routing/queues/divisionviews?divisionId=*', status: 200 },
  'GET /api/v2/routing/queues/divisionviews/all': { tenant: 'acme', method: 'get', path: () => '/api/v2/routing/queues/divisionviews/all?pageSize=500', status: 200 },
  'GET /api/v2/routing/queues/{queueId}': { tenant: 'acme', method: 'get', path: () => `/api/v2/routing/queues/${queueId(1, 2)}`, status: 200 },
  'PUT /api/v2/routing/queues/{queueId}': { tenant: 'globex', method: 'put', path: () => `/api/v2/routing/queues/${queueId(3, 30)}`, body: { name: 'Renamed', division: { id: divisionId(3) } }, status: 200 },
  'DELETE /api/v2/routing/queues/{queueId}': { tenant: 'globex', method: 'delete', path: () => `/api/v2/routing/queues/${queueId(3, 29)}`, status: 200 },
  'GET /api/v2/routing/queues/{queueId}/members': { tenant: 'acme', method: 'get', path: () => `/api/v2/routing/queues/${queueId(2, 1)}/members?pageSize=100`, status: 200 },
  'GET /api/v2/routing/queues/{queueId}/users': { tenant: 'acme', method: 'get', path: () => `/api/v2/routing/queues/${queueId(2, 1)}/users?pageSize=100`, status: 200 },
  'GET /api/v2/routing/queues/{queueId}/wrapupcodes': { tenant: 'acme', method: 'get', path: () => `/api/v2/routing/queues/${queueId(1, 1)}/wrapupcodes`, status: 200, mayNameHome: true },
  'GET /api/v2/users': { tenant: 'acme', method: 'get', path: () => '/api/v2/users?pageSize=100', status: 200 },
  'GET /api/v2/users/{userId}': { tenant: 'acme', method: 'get', path: () => `/api/v2/users/${userId(2, 3)}`, status: 200 },
  'GET /api/v2/authorization/divisions': { tenant: 'acme', method: 'get', path: () => '/api/v2/authorization/divisions?objectCount=true', status: 200 },
  'GET /api/v2/authorization/divisions/{divisionId}': { tenant: 'acme', method: 'get', path: () => `/api/v2/authorization/divisions/${divisionId(2)}`, status: 200 },
  'POST /api/v2/analytics/queues/observations/query': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/queues/observations/query',
    body: { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting', 'oMemberUsers'] },
    status: 200,
  },
  'POST /api/v2/analytics/conversations/aggregates/query': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/conversations/aggregates/query',
    body: { interval, groupBy: ['queueId'], metrics: ['nOffered'] },
    status: 200,
  },
  'POST /api/v2/analytics/conversations/details/query': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/conversations/details/query',
    body: { interval, paging: { pageSize: 100, pageNumber: 1 } },
    status: 200,
  },
  'POST /api/v2/analytics/conversations/details/jobs': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/conversations/details/jobs',
    body: { interval },
    status: 202,
    after: (body, state) => {
      state['jobId'] = body['jobId'] as string;
    },
  },
  'GET /api/v2/analytics/conversations/details/jobs/{jobId:token}': {
    tenant: 'acme',
    method: 'get',
    path: (_h, state) => `/api/v2/analytics/conversations/details/jobs/${state['jobId']}`,
    status: 200,
  },
  'GET /api/v2/analytics/conversations/details/jobs/{jobId:token}/results': {
    tenant: 'acme',
    method: 'get',
    path: (_h, state) => `/api/v2/analytics/conversations/details/jobs/${state['jobId']}/results`,
    status: 200,
  },
  'GET /api/v2/analytics/conversations/{conversationId}/details': { tenant: 'acme', method: 'get', path: () => `/api/v2/analytics/conversations/${conversationId(1, 5)}/details`, status: 200 },
  'POST /api/v2/analytics/users/observations/query': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/users/observations/query',
    body: { filter: { type: 'or', predicates: [{ dimension: 'userId', value: userId(1, 1) }, { dimension: 'userId', value: userId(2, 2) }] }, metrics: ['oUserPresences'] },
    status: 200,
  },
  'POST /api/v2/analytics/users/aggregates/query': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/users/aggregates/query',
    body: { interval, groupBy: ['userId'], metrics: ['tAgentRoutingStatus'] },
    status: 200,
  },
  'GET /api/v2/presence/definitions': { tenant: 'globex', method: 'get', path: () => '/api/v2/presence/definitions', status: 200 },
  'GET /api/v2/presencedefinitions': { tenant: 'acme', method: 'get', path: () => '/api/v2/presencedefinitions?deleted=ALL', status: 200 },
  'GET /api/v2/users/presences/purecloud/bulk': { tenant: 'acme', method: 'get', path: () => `/api/v2/users/presences/purecloud/bulk?id=${userId(1, 1)},${userId(2, 2)}`, status: 200 },
  'GET /api/v2/users/{userId}/routingstatus': { tenant: 'acme', method: 'get', path: () => `/api/v2/users/${userId(2, 3)}/routingstatus`, status: 200 },
  'GET /api/v2/users/{userId}/presences/purecloud': { tenant: 'globex', method: 'get', path: () => `/api/v2/users/${userId(3, 3)}/presences/purecloud`, status: 200 },
  'POST /api/v2/notifications/channels': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/notifications/channels',
    status: 200,
    after: (body, state) => {
      state['channelId'] = body['id'] as string;
    },
  },
  'GET /api/v2/notifications/channels': { tenant: 'acme', method: 'get', path: () => '/api/v2/notifications/channels', status: 200 },
  'HEAD /api/v2/notifications/channels/{channelId:token}': { tenant: 'acme', method: 'head', path: (_h, state) => `/api/v2/notifications/channels/${state['channelId']}`, status: 200 },
  'PUT /api/v2/notifications/channels/{channelId:token}/subscriptions': {
    tenant: 'acme',
    method: 'put',
    path: (_h, state) => `/api/v2/notifications/channels/${state['channelId']}/subscriptions`,
    body: [{ id: `v2.users.${userId(1, 1)}?presence&routingStatus` }],
    status: 200,
  },
  'POST /api/v2/notifications/channels/{channelId:token}/subscriptions': {
    tenant: 'acme',
    method: 'post',
    path: (_h, state) => `/api/v2/notifications/channels/${state['channelId']}/subscriptions?ignoreErrors=true`,
    body: [{ id: `v2.analytics.queues.${queueId(2, 1)}.observations` }, { id: 'v2.users.7e57fa11-0000-4000-8000-000000000000.presence' }],
    status: 200,
  },
  'GET /api/v2/notifications/channels/{channelId:token}/subscriptions': { tenant: 'acme', method: 'get', path: (_h, state) => `/api/v2/notifications/channels/${state['channelId']}/subscriptions`, status: 200 },
  'DELETE /api/v2/notifications/channels/{channelId:token}/subscriptions': { tenant: 'acme', method: 'delete', path: (_h, state) => `/api/v2/notifications/channels/${state['channelId']}/subscriptions`, status: 204 },
  'GET /api/v2/notifications/availabletopics': { tenant: 'acme', method: 'get', path: () => '/api/v2/notifications/availabletopics?expand=description&includePreview=false', status: 200 },
  'GET /api/v2/systempresences': { tenant: 'globex', method: 'get', path: () => '/api/v2/systempresences', status: 200 },
  'POST /api/v2/analytics/users/details/query': {
    tenant: 'acme',
    method: 'post',
    path: () => '/api/v2/analytics/users/details/query',
    body: { interval, paging: { pageSize: 100, pageNumber: 1 } },
    status: 200,
  },
};

describe('every row of the policy table, against the simulator', () => {
  let h: Harness;
  const state: Record<string, string> = {};
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('has a sample request for every row', () => {
    expect(Object.keys(samples).sort()).toEqual(policyTable.map((rule) => `${rule.method} ${rule.path}`).sort());
  });

  it.each(Object.entries(samples))('%s answers the tenant and names nothing of another tenant', async (row, sample) => {
    let call = request(h.url)[sample.method](sample.path(h, state)).set('X-API-Key', keys[sample.tenant]).set('inin-correlation-id', `scoped-row-${Object.keys(samples).indexOf(row)}`);
    if (sample.body !== undefined) call = call.send(sample.body as object);
    const res = await call;
    expect(res.status).toBe(sample.status);
    const foreign = foreignIdPattern(sample.mayNameHome ? [0, ...divisionIndexesOf[sample.tenant]] : divisionIndexesOf[sample.tenant]);
    expect(res.text ?? '').not.toMatch(foreign);
    expect(res.headers['etag']).toBeUndefined();
    if (res.text) {
      // Rows that can stream answer chunked whatever their size; every other answer has its exact length.
      const rule = policyTable.find((candidate) => `${candidate.method} ${candidate.path}` === row)!;
      if (rule.response.kind === 'scoped' && rule.response.stream && res.status === 200) {
        expect(res.headers['content-length']).toBeUndefined();
        expect(res.headers['transfer-encoding']).toBe('chunked');
      } else expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    }
    sample.after?.(res.body as Record<string, unknown>, state);
    const line = auditLines(h).find((entry) => entry['correlationId'] === `scoped-row-${Object.keys(samples).indexOf(row)}`);
    expect(`${line?.['method']} ${line?.['route']}`).toBe(row);
  });
});

describe('ids of another tenant in paths', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each([
    ['GET', `/api/v2/routing/queues/${queueId(3, 1)}`],
    ['GET', `/api/v2/routing/queues/${queueId(3, 1)}/members`],
    ['GET', `/api/v2/routing/queues/${queueId(3, 1)}/users`],
    ['GET', `/api/v2/routing/queues/${queueId(3, 1)}/wrapupcodes`],
    ['GET', `/api/v2/users/${userId(3, 1)}`],
    ['GET', `/api/v2/users/${userId(0, 1)}`],
    ['GET', `/api/v2/users/${userId(3, 1)}/routingstatus`],
    ['GET', `/api/v2/users/${userId(3, 1)}/presences/purecloud`],
    ['GET', '/api/v2/users/7e57fa11-0000-4000-8000-000000000000/routingstatus'],
    ['GET', `/api/v2/authorization/divisions/${divisionId(3)}`],
    ['GET', `/api/v2/authorization/divisions/${divisionId(0)}`],
    ['GET', `/api/v2/analytics/conversations/${conversationId(3, 1)}/details`],
    ['GET', `/api/v2/analytics/conversations/${conversationId(2, 5)}/details`],
    ['GET', '/api/v2/analytics/conversations/details/jobs/not-a-job'],
  ])('%s %s answers 404, exactly as an id that does not exist', async (_method, path) => {
    const res = await request(h.url).get(path).set('X-API-Key', keys.acme).expect(404);
    expect(res.body).toMatchObject({ code: 'not.found', status: 404 });
    expect(res.text).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
  });

  it('costs one upstream call per request in steady state: the directories are not fetched per request', async () => {
    const warm = (id: string) => request(h.url).get(`/api/v2/routing/queues/${queueId(1, 1)}/members`).set('X-API-Key', keys.acme).set('inin-correlation-id', id).expect(200);
    await warm('steady-warm-up');
    const paths = [
      `/api/v2/routing/queues/${queueId(1, 1)}/members`,
      `/api/v2/routing/queues/${queueId(2, 3)}/users`,
      '/api/v2/users?pageSize=10',
      `/api/v2/routing/queues/${queueId(1, 4)}/members`,
    ];
    for (const [i, path] of paths.entries()) {
      await request(h.url).get(path).set('X-API-Key', keys.acme).set('inin-correlation-id', `steady-${i}`).expect(200);
    }
    const observation = { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting'] };
    await request(h.url).post('/api/v2/analytics/queues/observations/query').set('X-API-Key', keys.acme).set('inin-correlation-id', 'steady-obs').send(observation).expect(200);
    const byCorrelation = (id: string) => h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === id);
    // A directory load made for a tenant request would carry that request's correlation id.
    for (const id of [...paths.keys()].map((i) => `steady-${i}`).concat('steady-obs')) expect(byCorrelation(id)).toHaveLength(1);
  });
});
