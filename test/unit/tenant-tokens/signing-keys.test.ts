import { createHash } from 'node:crypto';
import { keyIdOf, TenantTokenKeys } from '../../../src/tenant-tokens/signing-keys.js';

const current = 'current-token-secret-0123456789-abcdef';
const previous = 'previous-token-secret-0123456789-abcde';

describe('tenant token keys', () => {
  it('names a secret by the first 16 hex characters of its SHA-256, never by the secret', () => {
    const kid = keyIdOf(current);
    expect(kid).toBe(createHash('sha256').update(current).digest('hex').slice(0, 16));
    expect(kid).toMatch(/^[0-9a-f]{16}$/);
    expect(current).not.toContain(kid);
    expect(keyIdOf(previous)).not.toBe(kid);
  });

  it('signs with the current secret and verifies with it and every previous one', () => {
    const keys = new TenantTokenKeys(current, [previous]);
    expect(keys.signing.kid).toBe(keyIdOf(current));
    expect(keys.signing.key.export().toString('utf8')).toBe(current);
    expect(keys.verificationKey(keyIdOf(current))).toBe(keys.signing.key);
    expect(keys.verificationKey(keyIdOf(previous))?.export().toString('utf8')).toBe(previous);
    expect(keys.verificationKey(keyIdOf('another-token-secret-0123456789-abcde'))).toBeUndefined();
  });

  it('makes a different random secret for each process', () => {
    expect(TenantTokenKeys.random().signing.kid).not.toBe(TenantTokenKeys.random().signing.kid);
  });
});
