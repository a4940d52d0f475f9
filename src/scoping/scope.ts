import type { DivisionIndex } from './division-index.js';
import type { QueryValues } from './query.js';

/** What a request may see: the tenant's divisions, narrowed if the tenant asked for fewer. */
export interface TenantScope {
  readonly tenantId: string;
  readonly divisionIds: readonly string[];
  readonly divisions: ReadonlySet<string>;
}

/**
 * The org-wide directories, as loaded for this request. Only the ones a policy row declares in
 * `needs` are loaded; reading another is a bug in the row and throws.
 */
export interface ScopeFacts {
  readonly queues: DivisionIndex;
  readonly users: DivisionIndex;
}

/** What a pure response scoper knows about the request it answers. */
export interface ResponseContext {
  readonly scope: TenantScope;
  /** Canonical path the tenant called (the upstream path unless the row says otherwise). */
  readonly path: string;
  /** The tenant's own validated query, used to rebuild paging links. */
  readonly query: QueryValues;
  readonly params: Readonly<Record<string, string>>;
  readonly facts: ScopeFacts;
}

export type ScopedResponse =
  | { readonly kind: 'ok'; readonly body: unknown; readonly kept: number; readonly removed: number }
  | { readonly kind: 'not-found' };

export type ResponseScoper = (body: unknown, context: ResponseContext) => ScopedResponse;

/** Thrown by scopers when the upstream JSON is not the shape they scope: the proxy answers 502. */
export class UnexpectedShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedShapeError';
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The division an entity belongs to, or undefined when it cannot be established. */
export function divisionOf(entity: unknown): string | undefined {
  if (!isRecord(entity)) return undefined;
  const division = entity['division'];
  if (!isRecord(division)) return undefined;
  const id = division['id'];
  return typeof id === 'string' ? id : undefined;
}

export function inScope(entity: unknown, scope: TenantScope): boolean {
  const division = divisionOf(entity);
  return division !== undefined && scope.divisions.has(division);
}
