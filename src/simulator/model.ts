/** Entity shapes as Genesys serialises them (camelCase, null fields omitted). */

export interface DivisionRef {
  readonly id: string;
  readonly name: string;
  readonly selfUri: string;
}

export interface AuthzDivision {
  id: string;
  name: string;
  description: string;
  homeDivision: boolean;
  selfUri: string;
}

export interface MediaSetting {
  alertingTimeoutSeconds: number;
  serviceLevel: { percentage: number; durationMs: number };
}

export interface Queue {
  id: string;
  name: string;
  division: DivisionRef;
  description: string;
  dateCreated: string;
  dateModified: string;
  memberCount: number;
  userMemberCount: number;
  joinedMemberCount: number;
  mediaSettings: Record<'call' | 'chat' | 'email', MediaSetting>;
  acwSettings: { wrapupPrompt: string; timeoutMs: number };
  skillEvaluationMethod: string;
  selfUri: string;
}

export interface User {
  id: string;
  name: string;
  division: DivisionRef;
  email: string;
  state: 'active' | 'inactive' | 'deleted';
  title: string;
  username: string;
  version: number;
  selfUri: string;
}

export interface WrapupCode {
  id: string;
  name: string;
  division: DivisionRef;
  selfUri: string;
}

export interface AnalyticsMetric {
  name: string;
  value: number;
  emitDate: string;
}

export interface AnalyticsSegment {
  segmentStart: string;
  segmentEnd: string;
  segmentType: 'interact' | 'alert' | 'wrapup' | 'ivr';
  queueId?: string;
  wrapUpCode?: string;
  disconnectType?: string;
}

export interface AnalyticsSession {
  sessionId: string;
  mediaType: string;
  direction: 'inbound' | 'outbound';
  ani?: string;
  dnis?: string;
  metrics: AnalyticsMetric[];
  segments: AnalyticsSegment[];
}

export interface AnalyticsParticipant {
  participantId: string;
  participantName: string;
  purpose: 'customer' | 'acd' | 'agent';
  userId?: string;
  sessions: AnalyticsSession[];
}

export interface AnalyticsConversation {
  conversationId: string;
  conversationStart: string;
  conversationEnd: string;
  originatingDirection: 'inbound' | 'outbound';
  divisionIds: string[];
  mediaStatsMinConversationMos?: number;
  participants: AnalyticsParticipant[];
}

export const MEDIA_TYPES = ['voice', 'chat', 'email', 'message'] as const;

export const divisionSelfUri = (id: string): string => `/api/v2/authorization/divisions/${id}`;
export const queueSelfUri = (id: string): string => `/api/v2/routing/queues/${id}`;
export const userSelfUri = (id: string): string => `/api/v2/users/${id}`;
