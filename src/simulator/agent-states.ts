import { ORG_PRESENCES, presenceOf, routingStatusOf } from './agent-state.js';

export interface AgentState {
  readonly systemPresence: string;
  readonly presenceModified: string;
  readonly routingStatus: string;
  readonly routingStarted: string;
}

const systemOf = (presenceId: string): string => Object.entries(ORG_PRESENCES).find(([, id]) => id === presenceId)?.[0] ?? 'OFFLINE';

/**
 * Agents' current presence and routing status: the seeded values until a test (or the event
 * driver) changes them. Listeners hear every change, which is how notification events are made.
 */
export class AgentStates {
  readonly #changed = new Map<string, AgentState>();
  readonly #listeners = new Set<(userId: string, state: AgentState, what: 'presence' | 'routingStatus') => void>();

  of(userId: string): AgentState {
    const changed = this.#changed.get(userId);
    if (changed) return changed;
    const routing = routingStatusOf(userId);
    return { systemPresence: systemOf(presenceOf(userId)), presenceModified: routing.startTime, routingStatus: routing.status, routingStarted: routing.startTime };
  }

  setPresence(userId: string, systemPresence: string, at = new Date()): void {
    if (!(systemPresence in ORG_PRESENCES)) throw new Error(`unknown system presence ${systemPresence}`);
    this.#set(userId, { ...this.of(userId), systemPresence, presenceModified: at.toISOString() }, 'presence');
  }

  setRoutingStatus(userId: string, routingStatus: string, at = new Date()): void {
    this.#set(userId, { ...this.of(userId), routingStatus, routingStarted: at.toISOString() }, 'routingStatus');
  }

  onChange(listener: (userId: string, state: AgentState, what: 'presence' | 'routingStatus') => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(userId: string, state: AgentState, what: 'presence' | 'routingStatus'): void {
    this.#changed.set(userId, state);
    for (const listener of this.#listeners) listener(userId, state, what);
  }
}

export const presenceIdOf = (systemPresence: string): string => ORG_PRESENCES[systemPresence] ?? ORG_PRESENCES['OFFLINE']!;
