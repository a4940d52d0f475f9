import { LARGE_ANSWER_BYTES, type BenchTenant } from './fixture.js';
import type { LoadRequest } from './load.js';
import type { Mode, ScenarioInfo, TargetName } from './report.js';

/** A tenant's request, and the same query as Genesys gets it once scoped (what direct and the pass-through send). */
interface Query {
  readonly method: 'GET' | 'POST';
  readonly tenantPath: string;
  readonly scopedPath: string;
  readonly tenantBody?: unknown;
  readonly scopedBody?: unknown;
}

export interface Scenario extends Pick<ScenarioInfo, 'id' | 'title' | 'modes' | 'addedLatencyGoalMs' | 'largeBodyGoal'> {
  /** Which tenants send it: every BPO, or the one with the padded division. */
  readonly tenants: 'bpos' | 'bulk';
  query(tenant: BenchTenant): Query;
}

const divisionParams = (tenant: BenchTenant) => tenant.divisions.map((id) => `&divisionId=${id}`).join('');
const divisionFilter = (tenant: BenchTenant) => ({
  type: 'or',
  predicates: tenant.divisions.map((value) => ({ dimension: 'divisionId', value })),
});

function listing(pageSize: number): (tenant: BenchTenant) => Query {
  return (tenant) => ({
    method: 'GET',
    tenantPath: `/api/v2/routing/queues?pageSize=${pageSize}`,
    scopedPath: `/api/v2/routing/queues?pageSize=${pageSize}${divisionParams(tenant)}`,
  });
}

export function scenarios(): Scenario[] {
  const both: Mode[] = ['many', 'one'];
  return [
    { id: 'queues-25', title: '25-queue listing', modes: both, tenants: 'bpos', addedLatencyGoalMs: 0.6, query: listing(25) },
    { id: 'queues-500', title: '500-queue listing', modes: both, tenants: 'bpos', addedLatencyGoalMs: 3, query: listing(500) },
    {
      id: 'observations',
      title: 'queue observations, 25 queues',
      modes: both,
      tenants: 'bpos',
      query: (tenant) => {
        const body = {
          filter: { type: 'or', predicates: tenant.watchedQueues.map((value) => ({ dimension: 'queueId', value })) },
          metrics: ['oWaiting', 'oInteracting', 'oOnQueueUsers', 'oMemberUsers'],
        };
        const path = '/api/v2/analytics/queues/observations/query';
        return { method: 'POST', tenantPath: path, scopedPath: path, tenantBody: body, scopedBody: body };
      },
    },
    {
      id: 'details',
      title: 'conversation details, 100 conversations',
      modes: both,
      tenants: 'bpos',
      query: (tenant) => {
        const body = { interval: '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z', order: 'asc', paging: { pageSize: 100, pageNumber: 1 } };
        const path = '/api/v2/analytics/conversations/details/query';
        return { method: 'POST', tenantPath: path, scopedPath: path, tenantBody: body, scopedBody: { ...body, conversationFilters: [divisionFilter(tenant)] } };
      },
    },
  ];
}

/** One tenant's padded division listed in one page: the large scoped answer. */
export function largeScenario(pageSize: number): Scenario {
  return {
    id: 'large',
    title: `${Math.round(LARGE_ANSWER_BYTES / 1024 / 1024)} MiB listing (${pageSize} queues)`,
    modes: ['one'],
    tenants: 'bulk',
    largeBodyGoal: { maxLatencyMs: 300, maxRssGrowthFactor: 6 },
    query: listing(pageSize),
  };
}

/** The request variants (one per tenant) a target gets for a scenario. */
export function requestsFor(scenario: Scenario, target: TargetName, tenants: readonly BenchTenant[], genesysToken: string): LoadRequest[] {
  return tenants.map((tenant) => {
    const query = scenario.query(tenant);
    const viaProxy = target === 'proxy';
    const body = viaProxy ? query.tenantBody : query.scopedBody;
    return {
      method: query.method,
      path: viaProxy ? query.tenantPath : query.scopedPath,
      headers: {
        ...(viaProxy ? { 'x-api-key': tenant.key } : { authorization: `Bearer ${genesysToken}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
  });
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
