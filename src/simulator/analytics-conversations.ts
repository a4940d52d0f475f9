import type { DimensionValues, FilterSchema } from './analytics-filter.js';
import type { AnalyticsConversation } from './model.js';

export const CONVERSATION_DIMENSIONS: FilterSchema = {
  fieldType: 'ConversationDetailQueryPredicateDimension',
  dimensions: [
    'accessAttribute',
    'conversationEnd',
    'conversationId',
    'conversationInitiator',
    'conversationStart',
    'customerParticipation',
    'divisionId',
    'externalTag',
    'mediaStatsMinConversationMos',
    'originatingDirection',
    'originatingSocialMediaPublic',
  ],
};

export const SEGMENT_DIMENSIONS: FilterSchema = {
  fieldType: 'SegmentDetailQueryPredicateDimension',
  dimensions: ['ani', 'conversationId', 'direction', 'disconnectType', 'dnis', 'flowId', 'mediaType', 'participantName', 'purpose', 'queueId', 'segmentType', 'sessionId', 'teamId', 'userId', 'wrapUpCode'],
};

export const AGGREGATE_DIMENSIONS: FilterSchema = {
  fieldType: 'ConversationAggregateQueryPredicateDimension',
  dimensions: ['conversationId', 'direction', 'disconnectType', 'divisionId', 'flowId', 'mediaType', 'originatingDirection', 'purpose', 'queueId', 'segmentType', 'teamId', 'userId', 'wrapUpCode'],
};

/** One conversation, with its dimension values worked out once for all queries. */
export interface IndexedConversation {
  readonly conversation: AnalyticsConversation;
  readonly start: number;
  readonly end: number;
  /** Conversation-level values, plus every segment's values (as aggregates see them). */
  readonly values: DimensionValues;
  /** One accessor per segment, for segment filters, which must hold within a single segment. */
  readonly segments: readonly DimensionValues[];
  readonly metrics: readonly { name: string; value: number }[];
  /**
   * One entry per session: its metrics with the dimension values of that session alone (plus the
   * conversation's), as aggregates attribute a metric to the segment it was emitted on.
   */
  readonly sessions: readonly { readonly values: DimensionValues; readonly metrics: readonly { name: string; value: number }[] }[];
}

const accessor = (map: Map<string, string[]>): DimensionValues => (dimension) => map.get(dimension) ?? [];

function add(map: Map<string, string[]>, dimension: string, value: string | undefined): void {
  if (value === undefined) return;
  const values = map.get(dimension);
  if (!values) map.set(dimension, [value]);
  else if (!values.includes(value)) values.push(value);
}

export function indexConversation(conversation: AnalyticsConversation): IndexedConversation {
  const values = new Map<string, string[]>();
  add(values, 'conversationId', conversation.conversationId);
  for (const division of conversation.divisionIds) add(values, 'divisionId', division);
  add(values, 'originatingDirection', conversation.originatingDirection);
  add(values, 'conversationInitiator', conversation.originatingDirection === 'inbound' ? 'external' : 'agent');
  add(values, 'customerParticipation', 'true');
  const conversationLevel = new Map([...values].map(([dimension, list]) => [dimension, [...list]]));
  const segments: DimensionValues[] = [];
  const metrics: { name: string; value: number }[] = [];
  const sessions: { values: DimensionValues; metrics: { name: string; value: number }[] }[] = [];
  for (const participant of conversation.participants) {
    for (const session of participant.sessions) {
      const sessionMetrics = session.metrics.map((metric) => ({ name: metric.name, value: metric.value }));
      metrics.push(...sessionMetrics);
      const sessionValues = new Map([...conversationLevel].map(([dimension, list]) => [dimension, [...list]]));
      sessions.push({ values: accessor(sessionValues), metrics: sessionMetrics });
      for (const segment of session.segments) {
        const own = new Map<string, string[]>([['conversationId', [conversation.conversationId]]]);
        const set = (dimension: string, value: string | undefined) => {
          add(own, dimension, value);
          add(values, dimension, value);
          add(sessionValues, dimension, value);
        };
        set('purpose', participant.purpose);
        set('userId', participant.userId);
        set('participantName', participant.participantName);
        set('sessionId', session.sessionId);
        set('mediaType', session.mediaType);
        set('direction', session.direction);
        set('ani', session.ani);
        set('dnis', session.dnis);
        set('segmentType', segment.segmentType);
        set('queueId', segment.queueId);
        set('wrapUpCode', segment.wrapUpCode);
        set('disconnectType', segment.disconnectType);
        segments.push(accessor(own));
      }
    }
  }
  return {
    conversation,
    start: Date.parse(conversation.conversationStart),
    end: Date.parse(conversation.conversationEnd),
    values: accessor(values),
    segments,
    metrics,
    sessions,
  };
}
