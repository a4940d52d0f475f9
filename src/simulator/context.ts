import type { AgentStates } from './agent-states.js';
import type { IndexedConversation } from './analytics-conversations.js';
import type { FaultController } from './faults.js';
import type { JobStore } from './jobs.js';
import type { SimNotifications } from './notifications.js';
import type { SeededOrg } from './org.js';

export interface ResolvedOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenTtlSeconds: number;
  readonly maxPageSize: number;
  readonly rejectUnknownQueryParams: boolean;
  readonly requestsPerMinutePerToken: number | undefined;
  readonly jobPollsUntilFulfilled: number;
  readonly omitEmptyAnalyticsResults: boolean;
  readonly acceptCredentialsInBody: boolean;
}

/** What every route module gets. */
export interface SimulatorContext {
  readonly org: SeededOrg;
  readonly options: ResolvedOptions;
  readonly faults: FaultController;
  readonly jobs: JobStore;
  /** The org's conversations with their dimension values worked out once. */
  readonly conversations: readonly IndexedConversation[];
  /** Agents' presence and routing status, changeable by tests. */
  readonly agents: AgentStates;
  /** Notification channels, subscriptions and sockets. */
  readonly notifications: SimNotifications;
}
