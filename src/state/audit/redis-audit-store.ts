import type { RedisConnection } from '../redis/redis-connection.js';
import type { AuditQuery, AuditStore, TenantAuditEntry } from '../../tenant-audit/audit-store.js';
import { DEFAULT_AUDIT_AGE_MS, type RetentionOptions } from './memory-audit-store.js';

/** A stream holds more than one replica's ring: every replica writes its tenants' requests to it. */
const DEFAULT_STREAM_ENTRIES = 10_000;

/**
 * The audit entries of every replica, in one Redis stream per tenant, so a tenant sees all its
 * requests whichever replica it asks. Stream ids are the entry ids and the cursor. Each replica
 * also keeps its own ring, which answers while Redis is down.
 */
export class RedisAuditStore implements AuditStore {
  readonly #redis: RedisConnection;
  readonly #local: AuditStore;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(redis: RedisConnection, local: AuditStore, options: RetentionOptions = {}) {
    this.#redis = redis;
    this.#local = local;
    this.#maxEntries = options.maxEntries ?? DEFAULT_STREAM_ENTRIES;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_AUDIT_AGE_MS;
    this.#now = options.now ?? Date.now;
  }

  async append(tenantId: string, entry: Omit<TenantAuditEntry, 'id'>): Promise<void> {
    await this.#local.append(tenantId, entry);
    if (!this.#redis.isUp) return;
    const key = this.#key(tenantId);
    await this.#redis.client
      .multi()
      .xadd(key, 'MAXLEN', '~', this.#maxEntries, '*', 'e', JSON.stringify(entry))
      .pexpire(key, this.#maxAgeMs)
      .exec()
      .catch(() => undefined);
  }

  async page(tenantId: string, query: AuditQuery): Promise<readonly TenantAuditEntry[]> {
    if (!this.#redis.isUp) return this.#local.page(tenantId, query);
    const oldest = Math.max(query.since ?? 0, this.#now() - this.#maxAgeMs);
    const end = query.before !== undefined ? `(${query.before}` : query.until !== undefined ? String(query.until) : '+';
    try {
      const rows = await this.#redis.client.xrevrange(this.#key(tenantId), end, String(oldest), 'COUNT', query.limit + 64);
      const entries: TenantAuditEntry[] = [];
      for (const [id, fields] of rows) {
        const entry = parseEntry(id, fields);
        if (!entry || entry.at < oldest || (query.until !== undefined && entry.at > query.until)) continue;
        entries.push(entry);
        if (entries.length === query.limit) break;
      }
      return entries;
    } catch {
      return this.#local.page(tenantId, query);
    }
  }

  #key(tenantId: string): string {
    return this.#redis.key(`audit:${tenantId}`);
  }
}

function parseEntry(id: string, fields: string[]): TenantAuditEntry | undefined {
  const raw = fields[fields.indexOf('e') + 1];
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Omit<TenantAuditEntry, 'id'>;
    return { ...value, id };
  } catch {
    return undefined;
  }
}
