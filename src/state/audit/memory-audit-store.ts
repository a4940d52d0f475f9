import { compareEntryIds, type AuditQuery, type AuditStore, type TenantAuditEntry } from '../../tenant-audit/audit-store.js';

export interface RetentionOptions {
  /** Entries kept per tenant. */
  readonly maxEntries?: number;
  /** Entries older than this are never shown. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_AUDIT_ENTRIES = 1_000;
export const DEFAULT_AUDIT_AGE_MS = 24 * 60 * 60_000;

/** One replica's audit entries: a ring per tenant, oldest out first. */
export class MemoryAuditStore implements AuditStore {
  readonly #rings = new Map<string, TenantAuditEntry[]>();
  readonly #last = new Map<string, { at: number; seq: number }>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(options: RetentionOptions = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_AUDIT_ENTRIES;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_AUDIT_AGE_MS;
    this.#now = options.now ?? Date.now;
  }

  async append(tenantId: string, entry: Omit<TenantAuditEntry, 'id'>): Promise<void> {
    // Ids increase even if the clock steps back, as Redis stream ids do.
    const last = this.#last.get(tenantId);
    const at = Math.max(entry.at, last?.at ?? 0);
    const seq = last && last.at === at ? last.seq + 1 : 0;
    this.#last.set(tenantId, { at, seq });
    let ring = this.#rings.get(tenantId);
    if (!ring) {
      ring = [];
      this.#rings.set(tenantId, ring);
    }
    ring.push({ ...entry, at, id: `${at}-${seq}` });
    // Trimmed in batches: dropping one entry per append would move the whole ring every request.
    if (ring.length > this.#maxEntries + Math.ceil(this.#maxEntries / 4)) ring.splice(0, ring.length - this.#maxEntries);
  }

  async page(tenantId: string, query: AuditQuery): Promise<readonly TenantAuditEntry[]> {
    const ring = this.#rings.get(tenantId) ?? [];
    const oldest = Math.max(query.since ?? 0, this.#now() - this.#maxAgeMs);
    const found: TenantAuditEntry[] = [];
    const first = Math.max(0, ring.length - this.#maxEntries);
    for (let i = ring.length - 1; i >= first && found.length < query.limit; i -= 1) {
      const entry = ring[i]!;
      if (entry.at < oldest) break;
      if (query.until !== undefined && entry.at > query.until) continue;
      if (query.before !== undefined && compareEntryIds(entry.id, query.before) >= 0) continue;
      found.push(entry);
    }
    return found;
  }
}
