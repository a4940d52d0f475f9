import fc from 'fast-check';
import { executeConversationAggregates } from '../../../src/scoping/filters/aggregates.js';
import { conversationAggregateQuerySchema, conversationDetailQuerySchema, queueObservationQuerySchema } from '../../../src/scoping/filters/analytics-schemas.js';
import type { UpstreamPort } from '../../../src/scoping/row-strategy.js';
import { executeConversationDetails } from '../../../src/scoping/filters/details-scan.js';
import { executeQueueObservations } from '../../../src/scoping/filters/queue-observations.js';
import { MemoryDivisionIndex } from '../../../src/scoping/division-index.js';
import { createRowServices } from '../../../src/executor/row-services.js';
import type { ScopeFacts, TenantScope } from '../../../src/scoping/scope.js';
import { aggregate, parseAggregateQuery } from '../../../src/simulator/analytics-aggregates.js';
import { AGGREGATE_DIMENSIONS, indexConversation, type IndexedConversation } from '../../../src/simulator/analytics-conversations.js';
import { parseDetailsSelection, parsePaging, selectConversations } from '../../../src/simulator/analytics-details.js';
import { parseObservationQuery, QUEUE_OBSERVATION_DIMENSIONS, QUEUE_OBSERVATION_METRICS, queueObservations } from '../../../src/simulator/analytics-observations.js';
import { SeededOrg } from '../../../src/simulator/org.js';
import { CONVERSATION_AGGREGATE_METRICS } from '../../../src/simulator/routes-analytics.js';
import { divisionId } from '../../../src/simulator/seed-ids.js';

/**
 * The isolation property itself, for analytics: over random seeded orgs, tenants and queries, the
 * answer a tenant gets is the same whether or not everything outside its divisions exists.
 * "Removed" means: other divisions' queues and users are gone from the org and its directories,
 * other divisions' conversations are gone, and the legs other tenants handled in their own queues
 * are cut from the conversations the tenant shares with them. What the tenant's own queues did
 * stays, including the work of another tenant's agent who is a member of one (the record of a
 * conversation does not change when the agent leaves), and so do recorded division lists.
 */
interface World {
  readonly org: SeededOrg;
  readonly conversations: readonly IndexedConversation[];
  readonly facts: ScopeFacts;
}

function worldOf(org: SeededOrg): World {
  const entries = (items: readonly { id: string; name: string; division: { id: string } }[]) => items.map((item) => ({ id: item.id, name: item.name, divisionId: item.division.id, state: 'active' }));
  return {
    org,
    conversations: org.conversations.map(indexConversation),
    facts: { queues: new MemoryDivisionIndex(entries(org.queues)), users: new MemoryDivisionIndex(entries(org.users)) },
  };
}

/** The same seeded org with everything outside `divisions` removed, as described above. */
function strippedOrg(seed: ConstructorParameters<typeof SeededOrg>[0], divisions: ReadonlySet<string>): SeededOrg {
  const org = new SeededOrg(seed);
  const foreignQueues = new Set(org.queues.filter((queue) => !divisions.has(queue.division.id)).map((queue) => queue.id));
  const foreignUsers = new Set(org.users.filter((user) => !divisions.has(user.division.id)).map((user) => user.id));
  const keep = <T>(list: T[], test: (item: T) => boolean) => list.splice(0, list.length, ...list.filter(test));
  keep(org.queues, (queue) => !foreignQueues.has(queue.id));
  keep(org.users, (user) => !foreignUsers.has(user.id));
  for (const queue of foreignQueues) org.queueMembers.delete(queue);
  for (const [queue, members] of org.queueMembers) org.queueMembers.set(queue, members.filter((member) => !foreignUsers.has(member)));
  keep(org.conversations, (conversation) => conversation.divisionIds.some((id) => divisions.has(id)));
  for (const conversation of org.conversations) {
    const inForeignQueue = (participant: (typeof conversation.participants)[number]) =>
      participant.sessions.some((session) => session.segments.some((segment) => segment.queueId !== undefined && foreignQueues.has(segment.queueId)));
    conversation.participants = conversation.participants.filter((participant) => !inForeignQueue(participant));
  }
  return org;
}

/** Genesys, played by the simulator's own query functions over one world. */
function upstreamOf(world: World): UpstreamPort {
  const rows = world.conversations.flatMap((entry) => entry.sessions.map((session) => ({ at: entry.start, values: session.values, metrics: session.metrics })));
  return {
    async call({ path, body }) {
      const request = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      if (path.endsWith('/aggregates/query')) {
        const query = parseAggregateQuery(request, AGGREGATE_DIMENSIONS, CONVERSATION_AGGREGATE_METRICS, 'ConversationAggregationQueryMetric');
        return { status: 200, json: { results: aggregate(rows, query) } };
      }
      if (path.endsWith('/observations/query')) {
        return { status: 200, json: queueObservations(world.org, parseObservationQuery(request, QUEUE_OBSERVATION_DIMENSIONS, QUEUE_OBSERVATION_METRICS, 'QueueObservationQueryMetric')) };
      }
      const selected = selectConversations(world.conversations, parseDetailsSelection(request));
      const paging = parsePaging(request['paging']);
      const start = (paging.pageNumber - 1) * paging.pageSize;
      return { status: 200, json: { conversations: selected.slice(start, start + paging.pageSize), totalHits: selected.length } };
    },
  };
}

const interval = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
const mediaPredicate = fc.constantFrom('voice', 'chat', 'email').map((value) => ({ dimension: 'mediaType', value }));

const aggregateQueryArb = fc.record({
  interval: fc.constant(interval),
  metrics: fc.subarray(['tHandle', 'tTalk', 'tWait', 'nOffered', 'tAcw'], { minLength: 1 }),
  groupBy: fc.subarray(['mediaType', 'queueId', 'userId', 'divisionId', 'direction']),
  filter: fc.option(fc.record({ type: fc.constantFrom('and', 'or'), predicates: fc.array(mediaPredicate, { minLength: 1, maxLength: 2 }) }), { nil: undefined }),
  granularity: fc.option(fc.constantFrom('P1D', 'P7D'), { nil: undefined }),
});
const observationQueryArb = fc.record({
  filter: fc.record({ type: fc.constantFrom('and', 'or'), predicates: fc.array(mediaPredicate, { minLength: 1, maxLength: 2 }) }),
  metrics: fc.subarray(['oMemberUsers', 'oActiveUsers', 'oOnQueueUsers', 'oOffQueueUsers', 'oUserRoutingStatuses', 'oUserPresences', 'oWaiting', 'oInteracting'], { minLength: 1 }),
  detailMetrics: fc.option(fc.subarray(['oUserPresences', 'oInteracting', 'oActiveUsers'], { minLength: 1 }), { nil: undefined }),
});
const detailsQueryArb = fc.record({
  interval: fc.constant(interval),
  paging: fc.record({ pageSize: fc.integer({ min: 1, max: 12 }), pageNumber: fc.integer({ min: 1, max: 6 }) }),
  order: fc.constantFrom('asc', 'desc'),
  segmentFilters: fc.option(fc.array(fc.record({ type: fc.constant('or'), predicates: fc.array(mediaPredicate, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 1 }), { nil: undefined }),
});

const caseArb = fc.record({
  seed: fc.record({
    queuesPerDivision: fc.integer({ min: 1, max: 4 }),
    usersPerDivision: fc.integer({ min: 1, max: 4 }),
    conversationsPerDivision: fc.integer({ min: 1, max: 14 }),
    extraDivisions: fc.integer({ min: 0, max: 2 }),
  }),
  tenant: fc.subarray([1, 2, 3, 4, 5, 6], { minLength: 1, maxLength: 3 }),
  aggregates: aggregateQueryArb,
  observations: observationQueryArb,
  details: detailsQueryArb,
});

async function answers(world: World, scope: TenantScope, bodies: { aggregates: unknown; observations: unknown; details: unknown }): Promise<unknown> {
  const upstream = upstreamOf(world);
  const input = (body: unknown) => ({ scope, facts: world.facts, query: new Map(), params: {}, body });
  const services = createRowServices({ now: () => 0 });
  const settle = (run: () => Promise<unknown>) => run().catch((error: unknown) => ({ refused: (error as { code?: string }).code ?? String(error) }));
  return {
    aggregates: await settle(() => executeConversationAggregates(input(conversationAggregateQuerySchema.parse(bodies.aggregates)), upstream)),
    observations: await settle(() => executeQueueObservations(input(queueObservationQuerySchema.parse(bodies.observations)), upstream)),
    details: await settle(() => executeConversationDetails(input(conversationDetailQuerySchema.parse(bodies.details)), upstream, services.detailsScan)),
  };
}

describe('analytics isolation', () => {
  it('no aggregate, observation or details answer to a tenant changes when everything outside its divisions is removed from the org', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ seed, tenant, aggregates, observations, details }) => {
        const divisions = tenant.filter((k) => k < 5 + seed.extraDivisions).map(divisionId);
        fc.pre(divisions.length > 0);
        const scope: TenantScope = { tenantId: 't', divisionIds: divisions, divisions: new Set(divisions) };
        const bodies = { aggregates, observations, details };
        const whole = await answers(worldOf(new SeededOrg(seed)), scope, bodies);
        const alone = await answers(worldOf(strippedOrg(seed, scope.divisions)), scope, bodies);
        expect(alone).toEqual(whole);
      }),
      { seed: 20261130, numRuns: 40 },
    );
  });
});
