import { digestApiKey, digestsEqual } from './api-key.js';
import type { ApiKeyRecord, Tenant } from './tenant.js';

export type KeyLookup =
  | { readonly ok: true; readonly tenant: Tenant; readonly key: ApiKeyRecord }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' };

/** Longer than any key we issue by far; bounds the hashing work an attacker can ask for. */
const MAX_KEY_LENGTH = 512;

/** An immutable, validated set of tenants, indexed for the request path. Replaced whole on reload. */
export class TenantRegistry {
  readonly #tenants: ReadonlyMap<string, Tenant>;
  readonly #keysByDigest: ReadonlyMap<string, ApiKeyRecord>;
  readonly #keysById: ReadonlyMap<string, ApiKeyRecord>;

  constructor(tenants: readonly Tenant[]) {
    const byId = new Map<string, Tenant>();
    const byDigest = new Map<string, ApiKeyRecord>();
    const byKeyId = new Map<string, ApiKeyRecord>();
    for (const tenant of tenants) {
      if (byId.has(tenant.id)) throw new Error(`duplicate tenant id ${tenant.id}`);
      byId.set(tenant.id, tenant);
      for (const key of tenant.keys) {
        const hex = key.digest.toString('hex');
        if (byDigest.has(hex)) throw new Error(`the same key hash is listed twice (${key.id})`);
        if (byKeyId.has(key.id)) throw new Error(`duplicate key id ${key.id}`);
        byDigest.set(hex, key);
        byKeyId.set(key.id, key);
      }
    }
    this.#tenants = byId;
    this.#keysByDigest = byDigest;
    this.#keysById = byKeyId;
  }

  get size(): number {
    return this.#tenants.size;
  }

  list(): Tenant[] {
    return [...this.#tenants.values()];
  }

  tenant(id: string): Tenant | undefined {
    return this.#tenants.get(id);
  }

  keyById(keyId: string): ApiKeyRecord | undefined {
    return this.#keysById.get(keyId);
  }

  tenantFromApiKey(presented: string, now: number): KeyLookup {
    if (presented.length === 0 || presented.length > MAX_KEY_LENGTH) return { ok: false, reason: 'unknown' };
    const digest = digestApiKey(presented);
    const record = this.#keysByDigest.get(digest.toString('hex'));
    // The map lookup is keyed by a hash of the key, so its timing says nothing about the key;
    // the constant-time compare guards against any future change of the index.
    if (!record || !digestsEqual(record.digest, digest)) return { ok: false, reason: 'unknown' };
    return this.#resolve(record, now);
  }

  /** For credentials that name their key id (token exchange): the stored key must still exist. */
  tenantFromKeyId(keyId: string, now: number): KeyLookup {
    const record = this.#keysById.get(keyId);
    return record ? this.#resolve(record, now) : { ok: false, reason: 'unknown' };
  }

  #resolve(record: ApiKeyRecord, now: number): KeyLookup {
    if (record.expiresAt !== undefined && record.expiresAt <= now) return { ok: false, reason: 'expired' };
    const tenant = this.#tenants.get(record.tenantId);
    return tenant ? { ok: true, tenant, key: record } : { ok: false, reason: 'unknown' };
  }
}
