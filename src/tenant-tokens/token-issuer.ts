import { SignJWT } from 'jose';
import type { ApiKeyRecord } from '../tenants/tenant.js';
import { keyFingerprint, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type TenantTokenClaims } from './claims.js';
import type { TenantTokenKeys } from './signing-keys.js';

export interface IssuedToken {
  readonly accessToken: string;
  /** Seconds, as in an OAuth token response. */
  readonly expiresIn: number;
}

/**
 * Signs the tokens `POST /oauth/token` hands out. The token names the tenant and the key, not the
 * divisions: those are read from the current tenant files at every request, so an edit applies
 * at once to tokens already issued.
 */
export class TenantTokenIssuer {
  constructor(
    private readonly keys: TenantTokenKeys,
    private readonly ttlSeconds: number,
  ) {}

  /** Undefined when the key expires within the second: no token may outlive its key. */
  async issue(key: ApiKeyRecord, nowMs: number): Promise<IssuedToken | undefined> {
    const issuedAt = Math.floor(nowMs / 1000);
    const keyExpiry = key.expiresAt === undefined ? Infinity : Math.floor(key.expiresAt / 1000);
    const expiresAt = Math.min(issuedAt + this.ttlSeconds, keyExpiry);
    if (expiresAt <= issuedAt) return undefined;
    const claims: TenantTokenClaims = { key: key.id, key_fingerprint: keyFingerprint(key) };
    const accessToken = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: this.keys.signing.kid })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(key.tenantId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.keys.signing.key);
    return { accessToken, expiresIn: expiresAt - issuedAt };
  }
}
