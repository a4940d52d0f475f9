export { createSimulator, type RunningSimulator, type ScopedClient, type Simulator, type SimulatorOptions } from './simulator.js';
export { SeededOrg, type QueueInput } from './org.js';
export type { SeedOptions } from './seed-org.js';
export { RequestLog, type LoggedRequest, type RequestLogFilter } from './request-log.js';
export { FaultController, type FaultKind, type FaultRule } from './faults.js';
export { conversationId, divisionId, queueId, userId, wrapupCodeId } from './seed-ids.js';
export { matchesFilter, parseFilter, type AnalyticsFilter, type DimensionValues, type FilterSchema } from './analytics-filter.js';
export type { AnalyticsConversation, AuthzDivision, DivisionRef, Queue, User, WrapupCode } from './model.js';
export { runSimulatorFromEnv } from './main.js';
