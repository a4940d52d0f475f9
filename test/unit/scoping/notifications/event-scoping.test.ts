import fc from 'fast-check';
import { QUEUE_EVENT_METRICS, scopeEvent, type EventScope } from '../../../../src/scoping/notifications/event-scoping.js';

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

  it('keeps conversation-counting observation metrics only, for the topic’s own queue', () => {
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
      fc.record({ group: fc.record({ queueId: ids }), data: fc.array(fc.record({ metrics: fc.array(fc.record({ metric: fc.constantFrom('oWaiting', 'oOnQueueUsers', ...QUEUE_EVENT_METRICS), qualifier: ids })) })) }),
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
