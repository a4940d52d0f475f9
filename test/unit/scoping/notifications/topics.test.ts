import fc from 'fast-check';
import { decideTopics, subscriptionOutcome, type Ownership } from '../../../../src/scoping/notifications/topic-scoping.js';
import { expandTopic, parseTopic, SUPPORTED_TOPICS } from '../../../../src/scoping/notifications/topics.js';

const own = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
const foreign = ['00000000-0000-4000-8000-0000000000f1'];
const nobody = ['00000000-0000-4000-8000-0000000000e0'];
const ownership: Ownership = (_entity, id) => own.includes(id);
const userSuffixes = ['presence', 'routingStatus', 'activity', 'conversationsummary'];

const id = fc.constantFrom(...own, ...foreign, ...nobody);
const userTopic = fc.tuple(id, fc.constantFrom(...userSuffixes)).map(([entity, suffix]) => `v2.users.${entity}.${suffix}`);
const queueTopic = fc.tuple(id, fc.constantFrom('v2.analytics.queues.{}.observations', 'v2.routing.queues.{}.conversations', 'v2.routing.queues.{}.conversations.calls')).map(([entity, template]) => template.replace('{}', entity));
const combined = fc.tuple(id, fc.uniqueArray(fc.constantFrom(...userSuffixes), { minLength: 1, maxLength: 4 })).map(([entity, suffixes]) => `v2.users.${entity}?${suffixes.join('&')}`);
const junk = fc.oneof(
  fc.string(),
  id.map((entity) => `v2.users.${entity}.workforcemanagement.adherence`),
  id.map((entity) => `v2.users.${entity}.presence.extra`),
  id.map((entity) => `v2.users.${entity.toUpperCase()}.presence`),
  id.map((entity) => `v2.users.${entity}?presence&&routingStatus`),
  id.map((entity) => `v2.users.${entity}?presence&geolocation`),
  fc.constant('channel.metadata'),
  fc.constant('v2.system.socket_closing'),
);
const anyTopic = fc.oneof(userTopic, queueTopic, combined, junk);

describe('topic parsing', () => {
  it('parses every supported template and nothing around it', () => {
    for (const template of SUPPORTED_TOPICS) {
      const topic = template.replace('{id}', own[0]!);
      expect(parseTopic(topic)).toMatchObject({ name: topic, entityId: own[0] });
      expect(parseTopic(`${topic}x`)).toBeUndefined();
      expect(parseTopic(template)).toBeUndefined();
    }
  });

  it('expands a combined topic to one topic per suffix', () => {
    expect(expandTopic(`v2.users.${own[0]}?presence&routingStatus`)?.map((t) => t.name)).toEqual([`v2.users.${own[0]}.presence`, `v2.users.${own[0]}.routingStatus`]);
    expect(expandTopic(`v2.users.${own[0]}?presence&${'a'.repeat(200)}`)).toBeUndefined();
  });

  it('property: every expanded topic parses on its own and carries the id of the combined form', () => {
    fc.assert(
      fc.property(anyTopic, (topic) => {
        const expanded = expandTopic(topic);
        if (!expanded) return;
        for (const parsed of expanded) {
          expect(parseTopic(parsed.name)).toEqual(parsed);
          expect(topic).toContain(parsed.entityId);
        }
      }),
    );
  });
});

describe('topic scoping', () => {
  it('property: a topic is accepted only when every id it names is the tenant’s and its kind is served', () => {
    fc.assert(
      fc.property(fc.array(anyTopic, { maxLength: 6 }), (topics) => {
        const decisions = decideTopics(topics, ownership);
        decisions.forEach((decision, i) => {
          expect(decision.topic).toBe(topics[i]);
          if ('accepted' in decision) {
            for (const parsed of decision.accepted) expect(own).toContain(parsed.entityId);
          }
        });
      }),
    );
  });

  it('property: a foreign id and an id of nobody are refused the same way', () => {
    fc.assert(
      fc.property(fc.oneof(userTopic, queueTopic, combined), (topic) => {
        const asForeign = topic.replaceAll(own[0]!, foreign[0]!).replaceAll(nobody[0]!, foreign[0]!);
        const asNobody = asForeign.replaceAll(foreign[0]!, nobody[0]!);
        if (!asForeign.includes(foreign[0]!)) return;
        expect(decideTopics([asForeign], ownership)).toEqual(decideTopics([asNobody], ownership).map((d) => ({ ...d, topic: asForeign })));
      }),
    );
  });

  it('property: without ignoreErrors one refused topic refuses all; with it, the others are kept', () => {
    fc.assert(
      fc.property(fc.array(anyTopic, { minLength: 1, maxLength: 6 }), (topics) => {
        const decisions = decideTopics(topics, ownership);
        const refused = decisions.filter((d) => 'refused' in d).length;
        const strict = subscriptionOutcome(decisions, false);
        expect(strict.kind).toBe(refused > 0 ? 'refused' : 'ok');
        const lenient = subscriptionOutcome(decisions, true);
        expect(lenient.kind).toBe('ok');
        if (lenient.kind === 'ok') {
          expect(lenient.rejected).toHaveLength(refused);
          for (const parsed of lenient.accepted) expect(own).toContain(parsed.entityId);
        }
      }),
    );
  });

  it('refuses a combined topic whole when one of its parts is not served', () => {
    expect(decideTopics([`v2.users.${own[0]}?presence&geolocation`], ownership)).toEqual([{ topic: `v2.users.${own[0]}?presence&geolocation`, refused: 'unsupported' }]);
  });
});
