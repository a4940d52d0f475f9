import type { RequestRecord } from '../operations/request-record.js';

/**
 * One request as its tenant may see it in the audit view: no key id (a tenant's keys are the
 * operator's business), no path (the route pattern says what was called), and no count of what
 * scoping withheld, because that count is a figure about other divisions.
 */
export interface TenantAuditEntry {
  /** `<epoch ms>-<sequence>`, increasing; also the paging cursor. */
  readonly id: string;
  readonly at: number;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly entitiesReturned: number | undefined;
  readonly genesysCalls: number;
  readonly correlationId: string;
}

export interface AuditQuery {
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, inclusive. */
  readonly until?: number;
  /** Only entries older than this id (the previous page's cursor). */
  readonly before?: string;
  readonly limit: number;
}

/** The tenant's own recent requests, newest first. */
export interface AuditStore {
  append(tenantId: string, entry: Omit<TenantAuditEntry, 'id'>): Promise<void>;
  page(tenantId: string, query: AuditQuery): Promise<readonly TenantAuditEntry[]>;
}

/** What the audit view keeps of a finished request, or nothing when no tenant was authenticated. */
export function auditEntryOf(record: RequestRecord): { tenantId: string; entry: Omit<TenantAuditEntry, 'id'> } | undefined {
  if (record.tenantId === undefined) return undefined;
  return {
    tenantId: record.tenantId,
    entry: {
      at: record.at,
      method: record.method,
      route: record.route,
      status: record.status,
      entitiesReturned: record.entitiesReturned,
      genesysCalls: record.upstreamCalls,
      correlationId: record.correlationId,
    },
  };
}

/** Orders `<ms>-<seq>` ids; a malformed id sorts before every real one. */
export function compareEntryIds(a: string, b: string): number {
  const [am = -1, as = -1] = a.split('-').map(Number);
  const [bm = -1, bs = -1] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}
