import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { createSecretKey } from 'node:crypto';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, looksLikeJwt } from '../../../src/tenant-tokens/claims.js';
import { keyIdOf, TenantTokenKeys } from '../../../src/tenant-tokens/signing-keys.js';
import { TenantTokenIssuer } from '../../../src/tenant-tokens/token-issuer.js';
import { TenantTokenVerifier } from '../../../src/tenant-tokens/token-verifier.js';
import { buildRegistry } from '../../../src/tenants/load-tenants.js';
import type { TenantRegistry } from '../../../src/tenants/tenant-registry.js';
import { divisionsOf, keys as apiKeys, tenantYaml, testTenantFiles, testTenants } from '../../support/tenants.js';

const secret = 'current-token-secret-0123456789-abcdef';
const oldSecret = 'previous-token-secret-0123456789-abcde';
const now = Date.parse('2026-11-23T12:00:00Z');
const seconds = (ms: number) => Math.floor(ms / 1000);

const keys = new TenantTokenKeys(secret);
const issuer = new TenantTokenIssuer(keys, 3600);
const verifier = new TenantTokenVerifier(keys);

function keyOf(registry: TenantRegistry, keyId: string) {
  const key = registry.keyById(keyId);
  if (!key) throw new Error(`no key ${keyId}`);
  return key;
}

async function tokenFor(keyId: string, registry = testTenants(), at = now, by = issuer): Promise<string> {
  const issued = await by.issue(keyOf(registry, keyId), at);
  if (!issued) throw new Error('no token issued');
  return issued.accessToken;
}

/** Replaces one base64url character with another, so the part stays well-formed but changes. */
function flipCharacter(part: string, index: number): string {
  const c = part[index]!;
  return part.slice(0, index) + (c === 'A' ? 'B' : 'A') + part.slice(index + 1);
}

describe('tenant tokens', () => {
  it('carries the tenant, the key id and the registered claims, and names the signing key', async () => {
    const issued = await issuer.issue(keyOf(testTenants(), 'acme-1'), now);
    expect(issued?.expiresIn).toBe(3600);
    const token = issued!.accessToken;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: keyIdOf(secret) });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: 'acme', key: 'acme-1', iat: seconds(now), exp: seconds(now) + 3600 });
    expect(claims.key_fingerprint).toEqual(expect.any(String));
  });

  it('puts neither the divisions, the key nor its stored hash in the token', async () => {
    const registry = testTenants();
    const token = await tokenFor('acme-1', registry);
    const decoded = JSON.stringify([decodeProtectedHeader(token), decodeJwt(token)]);
    for (const division of divisionsOf.acme) expect(decoded).not.toContain(division);
    expect(decoded).not.toContain(apiKeys.acme);
    expect(decoded).not.toContain(keyOf(registry, 'acme-1').digest.toString('hex').slice(0, 16));
    expect(decoded).not.toContain(keyOf(registry, 'acme-1').digest.toString('base64url').slice(0, 16));
    expect(decoded).not.toContain(secret);
  });

  it('never outlives its key', async () => {
    const registry = buildRegistry([{ file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: apiKeys.acme, expiresAt: '2026-11-23T12:10:00Z' }]) }]);
    const issued = await issuer.issue(keyOf(registry, 'acme-1'), now);
    expect(issued?.expiresIn).toBe(600);
    expect(decodeJwt(issued!.accessToken).exp).toBe(seconds(Date.parse('2026-11-23T12:10:00Z')));
    expect((await issuer.issue(keyOf(registry, 'acme-1'), Date.parse('2026-11-23T12:09:59.500Z')))?.expiresIn).toBe(1);
    expect(await issuer.issue(keyOf(registry, 'acme-1'), Date.parse('2026-11-23T12:10:00Z'))).toBeUndefined();
  });

  it('maps a valid token to its tenant and key in the current registry', async () => {
    const registry = testTenants();
    const lookup = await verifier.lookup(await tokenFor('globex-1', registry), registry, now + 60_000);
    expect(lookup.ok && [lookup.tenant.id, lookup.key.id, lookup.tenant.divisionIds]).toEqual(['globex', 'globex-1', divisionsOf.globex]);
  });

  it('reads the divisions from the registry at each request, not from the token', async () => {
    const token = await tokenFor('acme-1');
    const narrowed = buildRegistry([{ file: 'acme.yaml', text: tenantYaml('acme', [divisionsOf.acme[0]], [{ id: 'acme-1', key: apiKeys.acme }]) }]);
    const lookup = await verifier.lookup(token, narrowed, now);
    expect(lookup.ok && lookup.tenant.divisionIds).toEqual([divisionsOf.acme[0]]);
  });

  it('refuses a token past its expiry, beyond a five-second tolerance', async () => {
    const token = await tokenFor('acme-1');
    const expiry = now + 3600_000;
    expect((await verifier.lookup(token, testTenants(), expiry + 4_000)).ok).toBe(true);
    expect(await verifier.lookup(token, testTenants(), expiry + 6_000)).toEqual({ ok: false, reason: 'expired', denial: 'expired token' });
  });

  it('refuses a token whose signature was changed', async () => {
    const [header, payload, signature] = (await tokenFor('acme-1')).split('.') as [string, string, string];
    const tampered = [header, payload, flipCharacter(signature, 5)].join('.');
    expect(await verifier.lookup(tampered, testTenants(), now)).toEqual({ ok: false, reason: 'unknown', denial: 'invalid token' });
  });

  it('refuses a token whose payload was changed', async () => {
    const [header, payload, signature] = (await tokenFor('acme-1')).split('.') as [string, string, string];
    const claims = { ...decodeJwt([header, payload, signature].join('.')), sub: 'globex', key: 'globex-1' };
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect((await verifier.lookup(forged, testTenants(), now)).ok).toBe(false);
    const extended = { ...decodeJwt([header, payload, signature].join('.')), exp: seconds(now) + 86_400 * 365 };
    const longer = [header, Buffer.from(JSON.stringify(extended)).toString('base64url'), signature].join('.');
    expect((await verifier.lookup(longer, testTenants(), now)).ok).toBe(false);
  });

  it('refuses a token signed with a secret it does not know, even under a known kid', async () => {
    const stranger = new TenantTokenIssuer(new TenantTokenKeys('a-stranger-token-secret-0123456789-xyz'), 3600);
    const foreign = await tokenFor('acme-1', testTenants(), now, stranger);
    expect(await verifier.lookup(foreign, testTenants(), now)).toEqual({ ok: false, reason: 'unknown', denial: 'invalid token' });
    const claims = decodeJwt(foreign);
    const underKnownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: keys.signing.kid })
      .sign(createSecretKey(Buffer.from('a-stranger-token-secret-0123456789-xyz')));
    expect((await verifier.lookup(underKnownKid, testTenants(), now)).ok).toBe(false);
  });

  it('accepts only HS256 with the right issuer and audience', async () => {
    const claims = decodeJwt(await tokenFor('acme-1'));
    const sign = (header: { alg: string }, body: object) =>
      new SignJWT({ ...body }).setProtectedHeader({ ...header, kid: keys.signing.kid }).sign(keys.signing.key);
    expect((await verifier.lookup(await sign({ alg: 'HS256' }, claims), testTenants(), now)).ok).toBe(true);
    expect((await verifier.lookup(await sign({ alg: 'HS512' }, claims), testTenants(), now)).ok).toBe(false);
    expect((await verifier.lookup(await sign({ alg: 'HS256' }, { ...claims, iss: 'someone-else' }), testTenants(), now)).ok).toBe(false);
    expect((await verifier.lookup(await sign({ alg: 'HS256' }, { ...claims, aud: 'genesys' }), testTenants(), now)).ok).toBe(false);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: keys.signing.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect((await verifier.lookup(unsigned, testTenants(), now)).ok).toBe(false);
    expect((await verifier.lookup(await sign({ alg: 'HS256' }, { ...claims, key: undefined }), testTenants(), now)).ok).toBe(false);
  });

  it('refuses a token once its key or its tenant is gone from the registry', async () => {
    const token = await tokenFor('acme-1');
    const keyRemoved = buildRegistry([{ file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-2', key: 'gdp_another_acme_key_000000000000000000000' }]) }]);
    expect(await verifier.lookup(token, keyRemoved, now)).toEqual({ ok: false, reason: 'unknown', denial: 'revoked key' });
    const tenantRemoved = buildRegistry(testTenantFiles().filter((f) => f.file !== 'acme.yaml'));
    expect(await verifier.lookup(token, tenantRemoved, now)).toEqual({ ok: false, reason: 'unknown', denial: 'revoked key' });
  });

  it('refuses a token when its key id now names a different key', async () => {
    const token = await tokenFor('acme-1');
    const reissued = buildRegistry([{ file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: 'gdp_replacement_acme_key_000000000000000000' }]) }]);
    expect((await verifier.lookup(token, reissued, now)).ok).toBe(false);
  });

  it('refuses a token when its key id moved to another tenant', async () => {
    const token = await tokenFor('acme-1');
    const moved = buildRegistry([
      { file: 'globex.yaml', text: tenantYaml('globex', divisionsOf.globex, [{ id: 'acme-1', key: apiKeys.acme }]) },
    ]);
    expect((await verifier.lookup(token, moved, now)).ok).toBe(false);
  });

  it('answers expired when the key was given an expiry that has passed', async () => {
    const token = await tokenFor('acme-1');
    const lapsed = buildRegistry([{ file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: apiKeys.acme, expiresAt: '2026-11-23T11:00:00Z' }]) }]);
    expect(await verifier.lookup(token, lapsed, now)).toEqual({ ok: false, reason: 'expired', denial: 'expired key' });
  });

  it('keeps tokens signed with a previous secret valid after a rotation, until they expire', async () => {
    const beforeRotation = new TenantTokenIssuer(new TenantTokenKeys(oldSecret), 3600);
    const token = await tokenFor('acme-1', testTenants(), now, beforeRotation);
    const rotated = new TenantTokenKeys(secret, [oldSecret]);
    const rotatedVerifier = new TenantTokenVerifier(rotated);
    expect((await rotatedVerifier.lookup(token, testTenants(), now + 1000)).ok).toBe(true);
    expect((await rotatedVerifier.lookup(token, testTenants(), now + 3600_000 + 6_000)).ok).toBe(false);
    const fresh = await tokenFor('acme-1', testTenants(), now, new TenantTokenIssuer(rotated, 3600));
    expect(decodeProtectedHeader(fresh).kid).toBe(keyIdOf(secret));
    expect((await new TenantTokenVerifier(new TenantTokenKeys(secret)).lookup(token, testTenants(), now)).ok).toBe(false);
  });

  it('tells tokens from API keys by their shape', async () => {
    expect(looksLikeJwt(await tokenFor('acme-1'))).toBe(true);
    expect(looksLikeJwt(apiKeys.acme)).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('a.b+c.d')).toBe(false);
  });
});
