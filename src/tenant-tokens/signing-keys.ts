import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

export interface SigningKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/**
 * The HS256 keys for tenant tokens: one that signs, and every one that still verifies. A secret
 * becomes a KeyObject once here, so jose can reuse its imported form on every request.
 */
export class TenantTokenKeys {
  readonly signing: SigningKey;
  readonly #verifying: ReadonlyMap<string, KeyObject>;

  constructor(secret: string, previousSecrets: readonly string[] = []) {
    this.signing = signingKey(secret);
    const verifying = new Map<string, KeyObject>();
    for (const { kid, key } of [this.signing, ...previousSecrets.map(signingKey)]) {
      if (!verifying.has(kid)) verifying.set(kid, key);
    }
    this.#verifying = verifying;
  }

  /** Per-process keys: valid only for tokens this process issued, so replicas need a shared secret. */
  static random(): TenantTokenKeys {
    return new TenantTokenKeys(randomBytes(48).toString('base64url'));
  }

  verificationKey(kid: string): KeyObject | undefined {
    return this.#verifying.get(kid);
  }
}

/** The kid names a secret without revealing it: a truncated SHA-256 of a secret of ≥ 256 bits. */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);
}

function signingKey(secret: string): SigningKey {
  return { kid: keyIdOf(secret), key: createSecretKey(Buffer.from(secret, 'utf8')) };
}
