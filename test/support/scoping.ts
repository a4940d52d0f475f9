import { MemoryDivisionIndex, type DirectoryEntry } from '../../src/scoping/division-index.js';
import type { RequestInput } from '../../src/scoping/route-rule.js';
import type { ResponseContext, ScopeFacts, TenantScope } from '../../src/scoping/scope.js';

export const scopeOf = (...divisionIds: string[]): TenantScope => ({ tenantId: 't', divisionIds, divisions: new Set(divisionIds) });

export const entry = (id: string, divisionId: string, name = id, state = 'active'): DirectoryEntry => ({ id, divisionId, name, state });

export const factsOf = (queues: DirectoryEntry[] = [], users: DirectoryEntry[] = []): ScopeFacts => ({
  queues: new MemoryDivisionIndex(queues),
  users: new MemoryDivisionIndex(users),
});

export function inputOf(scope: TenantScope, options: { query?: [string, string[]][]; facts?: ScopeFacts; params?: Record<string, string> } = {}): RequestInput {
  return { scope, query: new Map(options.query ?? []), params: options.params ?? {}, facts: options.facts ?? factsOf() };
}

export function contextOf(
  scope: TenantScope,
  query: [string, string[]][] = [],
  options: { path?: string; facts?: ScopeFacts; params?: Record<string, string> } = {},
): ResponseContext {
  return { ...inputOf(scope, { query, ...options }), path: options.path ?? '/api/v2/routing/queues' };
}
