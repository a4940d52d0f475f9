import { LARGE_ANSWER_BYTES, type BenchTenant } from './fixture.js';
import type { LoadRequest } from './load.js';
import type { Mode, ScenarioInfo, TargetName } from './report.js';

/** A request as a tenant sends it to the proxy. */
export interface TenantQuery {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

export interface TenantRequest extends TenantQuery {
  readonly tenant: BenchTenant;
}

/**
 * What the Genesys stand-in received for one tenant request sent through the proxy. Direct and
 * the pass-through send exactly this, so that all three targets get the same upstream answers.
 */
export interface UpstreamForm {
  readonly method: string;
  readonly url: string;
  /** The body as sent, '' for none. */
  readonly body: string;
  readonly contentType?: string;
}

export interface Scenario extends Pick<ScenarioInfo, 'id' | 'title' | 'modes' | 'requests' | 'variety' | 'cpuGoalRatio' | 'addedLatencyGoalMs' | 'largeBodyGoal' | 'bytePath'> {
  /** Which tenants send it: every BPO, or the one with the padded division. */
  readonly tenants: 'bpos' | 'bulk';
  /** The requests one tenant sends: each different from the others, and so is its upstream form. */
  queries(tenant: BenchTenant): TenantQuery[];
}

const QUEUES = '/api/v2/routing/queues';
const OBSERVATIONS = '/api/v2/analytics/queues/observations/query';
const DETAILS = '/api/v2/analytics/conversations/details/query';
const HOUR_MS = 3_600_000;
/** The simulator's conversations start between 2026-11-01 and 2026-11-19. */
const CONVERSATIONS_FROM = Date.parse('2026-11-01T00:00:00.000Z');

/** 25 queues a page, pages 1 to 20: every page of the tenant's 500 queues. */
function queuePages(tenant: BenchTenant): TenantQuery[] {
  const pages = Math.ceil(tenant.queues.length / 25);
  return Array.from({ length: pages }, (_, i) => ({ method: 'GET', path: `${QUEUES}?pageSize=25&pageNumber=${i + 1}` }));
}

/**
 * All 500 of the tenant's queues in one page, asked in the ways a scheduler may ask for them:
 * either sort order, its divisions named in either order, with or without a name filter that
 * every one of its queues matches (the simulator honours all three). Each makes a different
 * upstream request with the same 500 queues in the answer.
 */
function wholeListing(tenant: BenchTenant): TenantQuery[] {
  const queries: TenantQuery[] = [];
  for (const sortOrder of ['asc', 'desc']) {
    for (const divisions of [tenant.divisions, [...tenant.divisions].reverse()]) {
      for (const name of ['', '&name=*Queue*']) {
        queries.push({ method: 'GET', path: `${QUEUES}?pageSize=500&sortOrder=${sortOrder}${divisions.map((id) => `&divisionId=${id}`).join('')}${name}` });
      }
    }
  }
  return queries;
}

const OBSERVATION_METRICS = ['oWaiting', 'oInteracting', 'oOnQueueUsers', 'oMemberUsers'];

/** A scheduler watching 25 of the tenant's queues: 20 schedulers, each its own 25. */
function observations(tenant: BenchTenant): TenantQuery[] {
  const sets = Math.floor(tenant.queues.length / 25);
  return Array.from({ length: sets }, (_, i) => ({
    method: 'POST',
    path: OBSERVATIONS,
    body: {
      filter: { type: 'or', predicates: tenant.queues.slice(i * 25, (i + 1) * 25).map((value) => ({ dimension: 'queueId', value })) },
      metrics: OBSERVATION_METRICS,
    },
  }));
}

/** How many details intervals each tenant asks for, 2 hours apart. */
export const DETAILS_INTERVALS = 120;
const DETAILS_INTERVAL_HOURS = 6 * 24;

/**
 * The first page of 100 of six-day intervals starting 2 hours apart. Six days select at most 100
 * of a tenant's conversations, so the proxy reads each query in one Genesys call. The page number
 * stays 1: the proxy reads the whole selection whatever page is asked and keeps it a minute for
 * the next pages, so other pages of the same interval would measure that list, not new requests.
 * The proxy holds about 350 such lists; the 1,200 requests (with the runs' gaps) make more
 * than that in between, so none is still held when asked again.
 */
function detailsIntervals(): TenantQuery[] {
  return Array.from({ length: DETAILS_INTERVALS }, (_, i) => {
    const start = CONVERSATIONS_FROM + i * 2 * HOUR_MS;
    const interval = `${new Date(start).toISOString()}/${new Date(start + DETAILS_INTERVAL_HOURS * HOUR_MS).toISOString()}`;
    return { method: 'POST', path: DETAILS, body: { interval, order: 'asc', paging: { pageSize: 100, pageNumber: 1 } } };
  });
}

/** The same scenario with one request per tenant, as schedulers asking the same thing at once. */
function identical(scenario: Scenario, query: TenantQuery): Scenario {
  return {
    ...scenario,
    id: `${scenario.id}-identical`,
    title: `${scenario.title}, identical requests`,
    requests: 'identical',
    variety: 'one request per tenant',
    // At one connection nothing is in flight together: the distinct case's figures hold.
    modes: ['many'],
    // The byte scoper against the reference is measured on distinct requests only.
    bytePath: false,
    queries: () => [query],
  };
}

export function scenarios(): Scenario[] {
  const both: Mode[] = ['many', 'one'];
  const queues25: Scenario = {
    id: 'queues-25',
    title: '25-queue listing',
    bytePath: true,
    modes: both,
    requests: 'distinct',
    tenants: 'bpos',
    cpuGoalRatio: 1.0,
    addedLatencyGoalMs: 0.5,
    variety: 'pages 1 to 20 of each tenant’s 500 queues',
    queries: queuePages,
  };
  const queues500: Scenario = {
    id: 'queues-500',
    title: '500-queue listing',
    bytePath: true,
    modes: both,
    requests: 'distinct',
    tenants: 'bpos',
    cpuGoalRatio: 1.2,
    addedLatencyGoalMs: 1.5,
    variety: 'all of a tenant’s queues in either `sortOrder`, its two `divisionId`s in either order, with or without `name=*Queue*` (which all its queues match)',
    queries: wholeListing,
  };
  return [
    queues25,
    queues500,
    {
      id: 'observations',
      title: 'queue observations, 25 queues',
      modes: both,
      requests: 'distinct',
      tenants: 'bpos',
      variety: '20 sets of 25 queues per tenant, together all its queues',
      queries: observations,
    },
    {
      id: 'details',
      title: 'conversation details, pages of 100',
      modes: both,
      requests: 'distinct',
      tenants: 'bpos',
      cpuGoalRatio: 1.2,
      variety: `${DETAILS_INTERVALS} six-day intervals 2 hours apart per tenant, the first page of 100 (each selects at most 100 conversations: one Genesys call)`,
      queries: detailsIntervals,
    },
    identical(queues25, { method: 'GET', path: `${QUEUES}?pageSize=25` }),
    identical(queues500, { method: 'GET', path: `${QUEUES}?pageSize=500` }),
  ];
}

/** One tenant's padded division listed in one page: the large scoped answer, one request at a time. */
export function largeScenario(pageSize: number): Scenario {
  return {
    id: 'large',
    bytePath: true,
    title: `${Math.round(LARGE_ANSWER_BYTES / 1024 / 1024)} MiB listing (${pageSize} queues)`,
    modes: ['one'],
    requests: 'distinct',
    tenants: 'bulk',
    largeBodyGoal: { maxLatencyMs: 120, maxRssGrowthFactor: 1.5 },
    queries: () => [{ method: 'GET', path: `${QUEUES}?pageSize=${pageSize}` }],
  };
}

/**
 * Every request of a scenario, the tenants taking turns: the i-th request of each tenant, then the
 * (i+1)-th, so that neighbours in the list differ in tenant as well as in query.
 */
export function tenantRequests(scenario: Scenario, tenants: readonly BenchTenant[]): TenantRequest[] {
  const perTenant = tenants.map((tenant) => scenario.queries(tenant).map((query) => ({ ...query, tenant })));
  const rounds = Math.max(0, ...perTenant.map((list) => list.length));
  const all: TenantRequest[] = [];
  for (let i = 0; i < rounds; i += 1) {
    for (const list of perTenant) if (list[i]) all.push(list[i]);
  }
  return all;
}

/** A tenant request as the proxy gets it. */
export function proxyRequest(request: TenantRequest): LoadRequest {
  return {
    method: request.method,
    path: request.path,
    headers: { 'x-api-key': request.tenant.key, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  };
}

/** The request Genesys got from the proxy, as direct and the pass-through send it (with a Genesys token). */
export function upstreamRequest(form: UpstreamForm, genesysToken: string): LoadRequest {
  return {
    method: form.method === 'POST' ? 'POST' : 'GET',
    path: form.url,
    headers: { authorization: `Bearer ${genesysToken}`, ...(form.body === '' ? {} : { 'content-type': form.contentType ?? 'application/json' }) },
    ...(form.body === '' ? {} : { body: form.body }),
  };
}

/** The requests a target sends: the tenants' own to the proxy, their upstream forms to the others. */
export function requestsFor(target: TargetName, requests: readonly TenantRequest[], forms: readonly UpstreamForm[], genesysToken: string): LoadRequest[] {
  return target === 'proxy' || target === 'parsed' ? requests.map(proxyRequest) : forms.map((form) => upstreamRequest(form, genesysToken));
}

/**
 * The requests one connection sends, in order, from a run that starts at `startAt` of the list.
 * With at least as many requests as connections, each connection takes every n-th one for itself,
 * so no two connections ever send the same request and none is in flight twice (a connection
 * waits for each answer). With fewer (the identical case), connections start at different places
 * of the list and cycle through all of it.
 */
export function connectionShare<T>(requests: readonly T[], connections: number, client: number, startAt = 0): T[] {
  const start = startAt % Math.max(requests.length, 1);
  const rotated = [...requests.slice(start), ...requests.slice(0, start)];
  if (requests.length >= connections) return rotated.filter((_, i) => i % connections === client % connections);
  const offset = client % rotated.length;
  return [...rotated.slice(offset), ...rotated.slice(0, offset)];
}

/** How many entities an answer holds (entities, results or conversations). */
export function countItems(answer: unknown): number {
  if (typeof answer !== 'object' || answer === null) return 0;
  for (const field of ['entities', 'results', 'conversations']) {
    const list = (answer as Record<string, unknown>)[field];
    if (Array.isArray(list)) return list.length;
  }
  return 0;
}
