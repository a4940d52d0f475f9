import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionsOf, keys } from '../support/tenants.js';

/** The parts of the official SDK these tests use; its own typings do not export the API classes. */
interface SdkClient {
  config: { setConfigPath(path: string): void };
  setGateway(gateway: { host: string; protocol: string; port: number; path_params_login: string; path_params_api: string }): void;
  loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<{ accessToken: string; tokenExpiryTime: number }>;
  setAccessToken(token: string): void;
}
interface QueuePage {
  entities?: { id: string; division?: { id: string } }[];
  pageCount?: number;
  total?: number;
}
interface RoutingApi {
  getRoutingQueues(opts?: { pageSize?: number; pageNumber?: number }): Promise<QueuePage>;
  getRoutingQueue(queueId: string): Promise<{ id: string; division?: { id: string } }>;
}
interface Predicate {
  dimension: string;
  value: string;
}
interface AnalyticsApi {
  postAnalyticsQueuesObservationsQuery(body: {
    filter: { type: 'or' | 'and'; predicates: Predicate[] };
    metrics: string[];
  }): Promise<{ results?: { group?: Record<string, string>; data?: unknown[] }[] }>;
  postAnalyticsConversationsDetailsQuery(body: {
    interval: string;
    paging?: { pageSize: number; pageNumber: number };
  }): Promise<{ conversations?: { conversationId: string; divisionIds?: string[] }[]; totalHits?: number }>;
}
/** The analytics and presence calls by name, for the smallest and fullest bodies of each model. */
type SdkCall = (...args: unknown[]) => Promise<unknown>;
interface PlatformClient {
  ApiClient: { instance: SdkClient };
  RoutingApi: new () => RoutingApi;
  AnalyticsApi: new () => AnalyticsApi & Record<string, SdkCall>;
  PresenceApi: new () => Record<string, SdkCall>;
}

const secret = 'sdk-test-token-secret-0123456789-abcdefg';

describe('the official Genesys JavaScript SDK against the proxy', () => {
  let h: Harness;
  let home: string;
  let originalHome: string | undefined;
  let client: SdkClient;
  let routing: RoutingApi;
  let analytics: AnalyticsApi & Record<string, SdkCall>;
  let presence: Record<string, SdkCall>;

  beforeAll(async () => {
    // The SDK reads and watches ~/.genesyscloudjavascript/config when it loads: point it at an empty home.
    home = await mkdtemp(path.join(os.tmpdir(), 'sdk-home-'));
    originalHome = process.env.HOME;
    process.env.HOME = home;
    const platformClient = (await import('purecloud-platform-client-v2')).default as unknown as PlatformClient;
    client = platformClient.ApiClient.instance;
    client.config.setConfigPath('');
    h = await startHarness({ env: { TENANT_TOKEN_SECRET: secret } });
    client.setGateway({ host: '127.0.0.1', protocol: 'http', port: Number(new URL(h.url).port), path_params_login: '', path_params_api: '' });
    routing = new platformClient.RoutingApi();
    analytics = new platformClient.AnalyticsApi();
    presence = new platformClient.PresenceApi();
  });

  afterAll(async () => {
    await h.close();
    process.env.HOME = originalHome;
    await rm(home, { recursive: true, force: true });
  });

  async function allQueues(): Promise<{ id: string; division?: { id: string } }[]> {
    const queues: { id: string; division?: { id: string } }[] = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const page = await routing.getRoutingQueues({ pageSize: 25, pageNumber });
      queues.push(...(page.entities ?? []));
      if (pageNumber >= (page.pageCount ?? 0)) return queues;
      if (pageNumber > 50) throw new Error('paging does not end');
    }
  }

  const ownQueueIds = (divisions: readonly string[]) =>
    h.sim.org.queues.filter((queue) => divisions.includes(queue.division.id)).map((queue) => queue.id).sort();

  it('logs in with the key id and key as client credentials and lists only the tenant’s queues', async () => {
    const auth = await client.loginClientCredentialsGrant('acme-1', keys.acme);
    expect(auth.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(auth.tokenExpiryTime).toBeGreaterThan(Date.now() + 3500_000);
    const queues = await allQueues();
    expect(queues.map((queue) => queue.id).sort()).toEqual(ownQueueIds(divisionsOf.acme));
    expect(queues.length).toBeGreaterThan(25);
  });

  it('gets the tenant’s own queue, and rejects another tenant’s with Genesys’s 404 body', async () => {
    await client.loginClientCredentialsGrant('acme-1', keys.acme);
    expect((await routing.getRoutingQueue(queueId(1, 1))).division?.id).toBe(divisionsOf.acme[0]);
    await expect(routing.getRoutingQueue(queueId(3, 1))).rejects.toEqual({
      message: expect.any(String),
      code: 'not.found',
      status: 404,
      contextId: expect.any(String),
    });
  });

  it('rejects a login with a wrong key with the login host’s invalid_client answer', async () => {
    const failure = await client.loginClientCredentialsGrant('acme-1', keys.globex).then(
      () => undefined,
      (error: { response?: { status: number; data: unknown } }) => error.response,
    );
    expect(failure?.status).toBe(400);
    expect(failure?.data).toMatchObject({ error: 'invalid_client' });
  });

  it('works with an API key set as the access token, without a login', async () => {
    client.setAccessToken(keys.globex);
    const queues = await allQueues();
    expect(queues.map((queue) => queue.id).sort()).toEqual(ownQueueIds(divisionsOf.globex));
  });

  it('queries queue observations for the tenant’s queues, and is refused a foreign one', async () => {
    await client.loginClientCredentialsGrant('acme-1', keys.acme);
    const own = [queueId(1, 1), queueId(2, 1)];
    const answer = await analytics.postAnalyticsQueuesObservationsQuery({
      filter: { type: 'or', predicates: own.map((value) => ({ dimension: 'queueId', value })) },
      metrics: ['oWaiting', 'oOnQueueUsers'],
    });
    const queuesAnswered = new Set((answer.results ?? []).map((result) => result.group?.['queueId']));
    expect([...queuesAnswered].sort()).toEqual([...own].sort());
    await expect(
      analytics.postAnalyticsQueuesObservationsQuery({
        filter: { type: 'or', predicates: [{ dimension: 'queueId', value: queueId(3, 1) }] },
        metrics: ['oWaiting'],
      }),
    ).rejects.toMatchObject({ status: 403, code: 'not.authorized' });
  });

  it('queries conversation details and gets only conversations wholly in the tenant’s divisions', async () => {
    await client.loginClientCredentialsGrant('globex-1', keys.globex);
    const answer = await analytics.postAnalyticsConversationsDetailsQuery({
      interval: '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z',
      paging: { pageSize: 100, pageNumber: 1 },
    });
    const conversations = answer.conversations ?? [];
    expect(conversations.length).toBeGreaterThan(0);
    for (const conversation of conversations) {
      expect(conversation.divisionIds?.every((id) => (divisionsOf.globex as readonly string[]).includes(id))).toBe(true);
    }
    const expected = h.sim.org.conversations.filter((c) => c.divisionIds.every((id) => (divisionsOf.globex as readonly string[]).includes(id)));
    const expectedIds = new Set(expected.map((c) => c.conversationId));
    expect(conversations.every((c) => expectedIds.has(c.conversationId))).toBe(true);
    expect(h.sim.org.conversations.some((c) => c.divisionIds.includes(divisionsOf.globex[0]) && !expectedIds.has(c.conversationId))).toBe(true);
  });

  it('never lets the SDK’s token reach Genesys', async () => {
    const { accessToken } = await client.loginClientCredentialsGrant('globex-1', keys.globex);
    h.sim.requestLog.clear();
    await routing.getRoutingQueues({ pageSize: 5 });
    const upstream = h.sim.requestLog.all();
    expect(upstream.length).toBeGreaterThan(0);
    for (const entry of upstream) expect(JSON.stringify(entry)).not.toContain(accessToken.split('.')[2]);
  });

  it('sends each analytics row the smallest and the fullest body its SDK request model builds', async () => {
    await client.loginClientCredentialsGrant('acme-1', keys.acme);
    const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
    const own = queueId(1, 2);
    const user = h.sim.org.users.find((u) => u.division.id === divisionsOf.acme[0])!.id;
    const and = (dimension: string, value: string) => ({ type: 'and', clauses: [{ type: 'or', predicates: [{ type: 'dimension', dimension, operator: 'matches', value }] }], predicates: [{ dimension, operator: 'exists' }] });
    const detailSelection = {
      interval,
      conversationFilters: [and('originatingDirection', 'inbound')],
      segmentFilters: [and('queueId', own)],
      evaluationFilters: [and('userId', user)],
      surveyFilters: [and('queueId', own)],
      resolutionFilters: [{ type: 'and', predicates: [{ type: 'metric', metric: 'nResolved', operator: 'exists' }] }],
      order: 'desc',
      orderBy: 'conversationStart',
    };
    const aggregation = { interval, granularity: 'P1D', timeZone: 'UTC', groupBy: ['queueId', 'mediaType'], filter: and('mediaType', 'voice'), metrics: ['tHandle', 'nOffered'], flattenMultivaluedDimensions: true, views: [{ target: 'tHandle', name: 'long', function: 'rangeBound', range: { gte: 60000 } }], alternateTimeDimension: 'eventTime' };
    const calls: [string, unknown, unknown][] = [
      ['postAnalyticsConversationsAggregatesQuery', { interval, metrics: ['nOffered'] }, { ...aggregation, queryType: 'groupBy', sortMetric: { name: 'tHandle', function: 'sum' }, limit: 10 }],
      ['postAnalyticsConversationsDetailsQuery', { interval }, { ...detailSelection, paging: { pageSize: 10, pageNumber: 1 } }],
      ['postAnalyticsConversationsDetailsJobs', { interval }, { ...detailSelection, limit: 50, startOfDayIntervalMatching: false }],
      ['postAnalyticsQueuesObservationsQuery', { filter: { type: 'or', predicates: [{ dimension: 'queueId', value: own }] }, metrics: ['oWaiting'] }, { filter: and('queueId', own), metrics: ['oWaiting', 'oMemberUsers'], detailMetrics: ['oWaiting'] }],
      ['postAnalyticsUsersObservationsQuery', { filter: { type: 'or', predicates: [{ dimension: 'userId', value: user }] }, metrics: ['oUserPresences'] }, { filter: and('userId', user), metrics: ['oUserPresences', 'oUserRoutingStatuses'], detailMetrics: ['oUserPresences'] }],
      ['postAnalyticsUsersAggregatesQuery', { interval, metrics: ['tAgentRoutingStatus'] }, { ...aggregation, groupBy: ['userId'], filter: and('userId', user), metrics: ['tAgentRoutingStatus'], views: [{ target: 'tAgentRoutingStatus', name: 'long', function: 'rangeBound', range: { gte: 1 } }] }],
    ];
    for (const [method, smallest, fullest] of calls) {
      for (const body of [smallest, fullest]) {
        await expect(analytics[method]!(body).then(() => 'answered', (error: unknown) => ({ method, error }))).resolves.toBe('answered');
      }
    }
    expect(await presence['getPresenceDefinitions0']!({ deactivated: 'false', localeCode: 'en_US' })).toMatchObject({ total: expect.any(Number) });
    expect(await presence['getPresencedefinitions']!({ pageNumber: 1, pageSize: 25, deleted: 'ALL', localeCode: 'en_US' })).toMatchObject({ pageNumber: 1 });
  });
});
