import fc from 'fast-check';
import { ownedBy } from '../../../../src/scoping/filters/observations.js';
import { planQueueObservations } from '../../../../src/scoping/filters/queue-observations.js';
import { QUEUE_OBSERVATION_METRICS, scopeEvent, type EventScope } from '../../../../src/scoping/notifications/event-scoping.js';
import { entry, factsOf, inputOf, scopeOf } from '../../../support/scoping.js';

const U = (n: number) => `b000000${n}-0000-4000-8000-000000000001`;
const Q = (n: number) => `a000000${n}-0000-4000-8000-000000000001`;
const D = (n: number) => `d0000000-0000-4000-8000-00000000000${n}`;
/** Tenant of division 1; everything numbered 2 is another tenant's, 9 is nobody's. */
const scope: EventScope = { own: (_entity, id) => id === U(1) || id === Q(1) || id === U(3), divisions: new Set([D(1)]) };

const conversationOf = (divisions: string[], people: { userId?: string; queueId?: string }[]) => ({
  id: 'c1',
  divisions: divisions.map((id) => ({ division: { id }, entities: [{ id: 'c1' }] })),
  participants: people.map((p, i) => ({ id: `p${i}`, purpose: p.userId ? 'agent' : 'acd', ...p })),
});

describe('events on the way out', () => {
  it('delivers an own user’s presence with documented fields only', () => {
    const verdict = scopeEvent({ topicName: `v2.users.${U(1)}.presence`, version: '2', eventBody: { source: 'PURECLOUD', presenceDefinition: { id: 'x', systemPresence: 'AVAILABLE', secret: 1 }, extra: true }, metadata: { CorrelationId: 'c' } }, scope);
    expect(verdict).toEqual({
      kind: 'deliver',
      event: { topicName: `v2.users.${U(1)}.presence`, version: '2', eventBody: { source: 'PURECLOUD', presenceDefinition: { id: 'x', systemPresence: 'AVAILABLE' } }, metadata: { CorrelationId: 'c' } },
    });
  });

  it('drops another tenant’s user, an unknown topic, and a body naming another user than its topic', () => {
    expect(scopeEvent({ topicName: `v2.users.${U(2)}.presence`, eventBody: {} }, scope)).toEqual({ kind: 'drop', reason: 'foreign-entity' });
    expect(scopeEvent({ topicName: `v2.users.${U(1)}.geolocation`, eventBody: {} }, scope)).toEqual({ kind: 'drop', reason: 'unknown-topic' });
    expect(scopeEvent({ topicName: `v2.users.${U(1)}.routingStatus`, eventBody: { id: U(2), routingStatus: { status: 'IDLE' } } }, scope)).toEqual({ kind: 'drop', reason: 'foreign-content' });
    expect(scopeEvent({ topicName: `v2.users.${U(1)}.routingStatus`, eventBody: 'IDLE' }, scope)).toEqual({ kind: 'drop', reason: 'unjudgeable-body' });
  });

  it('keeps only the tenant’s queues among an agent’s active queues', () => {
    const verdict = scopeEvent({ topicName: `v2.users.${U(1)}.activity`, eventBody: { id: U(1), activeQueueIds: [Q(1), Q(2)] } }, scope);
    expect(verdict).toMatchObject({ kind: 'deliver', event: { eventBody: { id: U(1), activeQueueIds: [Q(1)] } } });
  });

  it('gives the same figures as the observations query for the same data: agent figures recounted from their entries, or left out', () => {
    const facts = factsOf([entry(Q(1), D(1)), entry(Q(2), D(2))], [entry(U(1), D(1)), entry(U(3), D(1)), entry(U(2), D(2))]);
    const tenant = scopeOf(D(1));
    const eventScope: EventScope = { own: (kind, id) => ownedBy(kind === 'user' ? facts.users : facts.queues, tenant)(id), divisions: tenant.divisions };
    const agent = fc.constantFrom(U(1), U(2), U(3));
    const datum = fc
      .record({
        metric: fc.constantFrom(...QUEUE_OBSERVATION_METRICS),
        qualifier: fc.option(fc.constantFrom('IDLE', 'INTERACTING', 'voice'), { nil: undefined }),
        agents: fc.array(agent, { maxLength: 4 }),
        entriesListed: fc.boolean(),
        truncated: fc.boolean(),
        extra: fc.nat(2),
      })
      .map(({ metric, qualifier, agents, entriesListed, truncated, extra }) => ({
        metric,
        ...(qualifier ? { qualifier } : {}),
        stats: { count: agents.length + extra },
        truncated,
        ...(entriesListed ? { observations: agents.map((userId, n) => ({ userId, observationDate: `d${n}` })) } : {}),
      }));
    fc.assert(
      fc.property(fc.array(datum, { minLength: 1, maxLength: 6 }), (data) => {
        const group = { queueId: Q(1), mediaType: 'voice' };
        const metrics = [...new Set(data.map((d) => d.metric))];
        const plan = planQueueObservations({ filter: { type: 'or', predicates: [{ dimension: 'queueId', value: Q(1) }] }, metrics }, inputOf(tenant, { facts }));
        const queried = (plan.combine([{ results: [{ group, data }] }]).results[0] as { data: unknown[] }).data;
        const verdict = scopeEvent({ topicName: `v2.analytics.queues.${Q(1)}.observations`, eventBody: { group, data: [{ interval: 'i', metrics: data }] } }, eventScope);
        const evented = verdict.kind === 'deliver' ? (verdict.event.eventBody as { data: { metrics: unknown[] }[] }).data[0]!.metrics : [];
        expect(evented).toEqual(queried);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('leaves agent figures out of an observation event that lists no agents, as Genesys’s events do', () => {
    const body = { group: { queueId: Q(1), mediaType: 'voice', userId: U(2) }, data: [{ interval: 'i', metrics: [{ metric: 'oWaiting', stats: { count: 3 } }, { metric: 'oOnQueueUsers', qualifier: 'x', stats: { count: 2 } }] }] };
    expect(scopeEvent({ topicName: `v2.analytics.queues.${Q(1)}.observations`, eventBody: body }, scope)).toEqual({
      kind: 'deliver',
      event: { topicName: `v2.analytics.queues.${Q(1)}.observations`, eventBody: { group: { queueId: Q(1), mediaType: 'voice' }, data: [{ interval: 'i', metrics: [{ metric: 'oWaiting', stats: { count: 3 } }] }] } },
    });
    expect(scopeEvent({ topicName: `v2.analytics.queues.${Q(1)}.observations`, eventBody: { ...body, group: { queueId: Q(2) } } }, scope)).toMatchObject({ kind: 'drop' });
  });

  it('delivers a queue conversation only when every division and participant is the tenant’s', () => {
    const topicName = `v2.routing.queues.${Q(1)}.conversations`;
    expect(scopeEvent({ topicName, eventBody: conversationOf([D(1)], [{ queueId: Q(1) }, { userId: U(1) }]) }, scope).kind).toBe('deliver');
    expect(scopeEvent({ topicName, eventBody: conversationOf([D(1), D(2)], [{ queueId: Q(1) }]) }, scope)).toEqual({ kind: 'drop', reason: 'foreign-content' });
    expect(scopeEvent({ topicName, eventBody: conversationOf([D(1)], [{ queueId: Q(1) }, { userId: U(2) }]) }, scope)).toEqual({ kind: 'drop', reason: 'foreign-content' });
    expect(scopeEvent({ topicName, eventBody: { id: 'c1', participants: [] } }, scope)).toEqual({ kind: 'drop', reason: 'unjudgeable-body' });
  });

  it('property: whatever the event, what is delivered names no id that is not the tenant’s', () => {
    const ids = fc.constantFrom(U(1), U(2), U(3), U(9), Q(1), Q(2), Q(9));
    const topicName = fc.oneof(
      fc.tuple(ids, fc.constantFrom('presence', 'routingStatus', 'activity', 'conversationsummary')).map(([id, s]) => `v2.users.${id}.${s}`),
      ids.map((id) => `v2.analytics.queues.${id}.observations`),
      ids.map((id) => `v2.routing.queues.${id}.conversations`),
    );
    const body = fc.oneof(
      fc.record({ id: ids, userId: ids, activeQueueIds: fc.array(ids), routingStatus: fc.record({ status: fc.constant('IDLE') }) }, { requiredKeys: [] }),
      fc.record({
        group: fc.record({ queueId: ids }),
        data: fc.array(
          fc.record({
            metrics: fc.array(
              fc.record(
                {
                  metric: fc.constantFrom('oUnknown', ...QUEUE_OBSERVATION_METRICS),
                  qualifier: fc.oneof(ids, fc.constant('IDLE')),
                  stats: fc.record({ count: fc.nat(3) }),
                  observations: fc.array(fc.record({ userId: ids, conversationId: ids }), { maxLength: 3 }),
                },
                { requiredKeys: ['metric', 'stats'] },
              ),
            ),
          }),
        ),
      }),
      fc.tuple(fc.array(fc.constantFrom(D(1), D(2)), { maxLength: 2 }), fc.array(fc.record({ userId: ids, queueId: ids }, { requiredKeys: [] }), { maxLength: 3 })).map(([d, p]) => conversationOf(d, p)),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(topicName, body, (name, eventBody) => {
        const verdict = scopeEvent({ topicName: name, eventBody }, scope);
        if (verdict.kind === 'drop') return;
        const text = JSON.stringify(verdict.event);
        for (const foreign of [U(2), U(9), Q(2), Q(9), D(2)]) expect(text).not.toContain(foreign);
      }),
      { numRuns: 1_000 },
    );
  });
});
