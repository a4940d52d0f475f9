import { hash32 } from './prng.js';

/** Routing statuses an agent is in, as observations and member listings report them. */
export const ROUTING_STATUSES = ['IDLE', 'INTERACTING', 'NOT_RESPONDING', 'OFF_QUEUE', 'COMMUNICATING'] as const;

/** The org's presence definitions: system presence → organization presence id. */
export const ORG_PRESENCES: Readonly<Record<string, string>> = {
  AVAILABLE: '90000000-0000-4000-8000-000000000001',
  AWAY: '90000000-0000-4000-8000-000000000002',
  BUSY: '90000000-0000-4000-8000-000000000003',
  OFFLINE: '90000000-0000-4000-8000-000000000004',
  ON_QUEUE: '90000000-0000-4000-8000-000000000005',
  MEAL: '90000000-0000-4000-8000-000000000006',
};

const SYSTEM_PRESENCES = Object.keys(ORG_PRESENCES);

export function routingStatusOf(userId: string): { userId: string; status: string; startTime: string } {
  const hash = hash32(`routing:${userId}`);
  return {
    userId,
    status: ROUTING_STATUSES[hash % ROUTING_STATUSES.length]!,
    startTime: new Date(Date.UTC(2026, 10, 20) - (hash % 3_600) * 1000).toISOString(),
  };
}

/** The organization presence id an agent is in. */
export function presenceOf(userId: string): string {
  return ORG_PRESENCES[SYSTEM_PRESENCES[hash32(`presence:${userId}`) % SYSTEM_PRESENCES.length]!]!;
}

export function systemToOrganizationMappings(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(ORG_PRESENCES).map(([system, id]) => [system, [id]]));
}
