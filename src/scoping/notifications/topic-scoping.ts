import { expandTopic, type ParsedTopic, type TopicEntity } from './topics.js';

/** Whether a user or queue id is the tenant's, from the user and queue directories. */
export type Ownership = (entity: TopicEntity, id: string) => boolean;

export type TopicRefusal = 'unsupported' | 'not-authorized';

export type TopicDecision =
  | { readonly topic: string; readonly accepted: readonly ParsedTopic[] }
  | { readonly topic: string; readonly refused: TopicRefusal };

/**
 * Each requested topic accepted (expanded) or refused. A foreign id and an id that exists nowhere
 * are the same refusal: the answer cannot tell a tenant what is outside its divisions.
 */
export function decideTopics(topics: readonly string[], own: Ownership): TopicDecision[] {
  return topics.map((topic) => {
    const expanded = expandTopic(topic);
    if (!expanded) return { topic, refused: 'unsupported' };
    if (!expanded.every((parsed) => own(parsed.entity, parsed.entityId))) return { topic, refused: 'not-authorized' };
    return { topic, accepted: expanded };
  });
}

/** Genesys's `ChannelTopic.state` words; the exact spelling Genesys uses is not documented. */
export const TOPIC_PERMITTED = 'Permitted';
export const TOPIC_REJECTED = 'Rejected';

export const REJECTION_REASONS: Readonly<Record<TopicRefusal, string>> = {
  unsupported: 'The topic is not one the division proxy serves.',
  'not-authorized': 'The topic names a user or queue outside the tenant’s divisions.',
};

export type SubscriptionOutcome =
  /** Genesys's rule without `ignoreErrors`: one refused topic refuses the whole request. */
  | { readonly kind: 'refused'; readonly reason: TopicRefusal }
  | { readonly kind: 'ok'; readonly accepted: readonly ParsedTopic[]; readonly rejected: readonly { topic: string; reason: TopicRefusal }[] };

export function subscriptionOutcome(decisions: readonly TopicDecision[], ignoreErrors: boolean): SubscriptionOutcome {
  const rejected = decisions.flatMap((decision) => ('refused' in decision ? [{ topic: decision.topic, reason: decision.refused }] : []));
  if (rejected.length > 0 && !ignoreErrors) return { kind: 'refused', reason: rejected.some((r) => r.reason === 'not-authorized') ? 'not-authorized' : 'unsupported' };
  const accepted = decisions.flatMap((decision) => ('accepted' in decision ? decision.accepted : []));
  return { kind: 'ok', accepted, rejected };
}
