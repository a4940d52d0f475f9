import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { ApiKeyRecord, Tenant } from '../tenants/tenant.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';
import { keyFingerprint, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './claims.js';
import type { TenantTokenKeys } from './signing-keys.js';

export type TokenLookup =
  | { readonly ok: true; readonly tenant: Tenant; readonly key: ApiKeyRecord }
  | {
      readonly ok: false;
      readonly reason: 'expired' | 'unknown';
      /** For the audit log only; the tenant sees just the error code. */
      readonly denial: string;
    };

/** Allows for small clock differences between replicas that issue and verify tokens. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Checks a tenant token's signature and claims, then looks its tenant and key up in the current
 * registry: a token never outlives the removal of its tenant or key.
 */
export class TenantTokenVerifier {
  readonly #getKey: JWTVerifyGetKey;

  constructor(keys: TenantTokenKeys) {
    this.#getKey = (header) => {
      const key = header.kid === undefined ? undefined : keys.verificationKey(header.kid);
      if (!key) throw new errors.JWKSNoMatchingKey();
      return key;
    };
  }

  async lookup(token: string, registry: TenantRegistry, nowMs: number): Promise<TokenLookup> {
    let subject: string;
    let keyId: string;
    let fingerprint: string;
    try {
      const { payload } = await jwtVerify(token, this.#getKey, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp', 'key', 'key_fingerprint'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(nowMs),
      });
      if (typeof payload.sub !== 'string' || typeof payload['key'] !== 'string' || typeof payload['key_fingerprint'] !== 'string') {
        return invalid;
      }
      subject = payload.sub;
      keyId = payload['key'];
      fingerprint = payload['key_fingerprint'];
    } catch (error) {
      return error instanceof errors.JWTExpired ? { ok: false, reason: 'expired', denial: 'expired token' } : invalid;
    }
    const found = registry.tenantFromKeyId(keyId, nowMs);
    if (!found.ok) {
      return found.reason === 'expired'
        ? { ok: false, reason: 'expired', denial: 'expired key' }
        : { ok: false, reason: 'unknown', denial: 'revoked key' };
    }
    if (found.tenant.id !== subject || keyFingerprint(found.key) !== fingerprint) {
      return { ok: false, reason: 'unknown', denial: 'revoked key' };
    }
    return found;
  }
}

const invalid: TokenLookup = { ok: false, reason: 'unknown', denial: 'invalid token' };
