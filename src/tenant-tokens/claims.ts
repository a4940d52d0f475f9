import { createHash } from 'node:crypto';
import type { ApiKeyRecord } from '../tenants/tenant.js';

export const TOKEN_ISSUER = 'genesys-division-proxy';
export const TOKEN_AUDIENCE = 'genesys-division-proxy:tenant';
export const TOKEN_ALGORITHM = 'HS256';

/** What a tenant token asserts beyond the registered claims (`sub` is the tenant id). */
export interface TenantTokenClaims {
  /** The API key id the token was exchanged for. */
  readonly key: string;
  /** Ties the token to the key's stored hash, so re-using a key id for a new key revokes old tokens. */
  readonly key_fingerprint: string;
}

/** A hash of the stored digest, never the digest itself: tokens are readable by whoever holds them. */
export function keyFingerprint(key: ApiKeyRecord): string {
  return createHash('sha256').update(key.digest).digest('base64url').slice(0, 22);
}

/** Three base64url parts: anything else in a Bearer header is an API key. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}
