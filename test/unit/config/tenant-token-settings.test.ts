import { describeSettings, loadSettings, SettingsError } from '../../../src/config/settings.js';

const base = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'super-secret', GENESYS_REGION: 'mypurecloud.ie' };
const secret = 'tenant-token-secret-0123456789-abcdefgh';
const older = 'older-token-secret-0123456789-abcdefghij';
const oldest = 'oldest-token-secret-0123456789-abcdefghi';

describe('tenant token settings', () => {
  it('defaults to no secret, no previous secrets and a one-hour lifetime', () => {
    expect(loadSettings(base).tenantTokens).toEqual({ secret: undefined, previousSecrets: [], ttlSeconds: 3600 });
  });

  it('reads the secret, the comma-separated previous secrets and the lifetime', () => {
    const settings = loadSettings({
      ...base,
      TENANT_TOKEN_SECRET: secret,
      TENANT_TOKEN_PREVIOUS_SECRETS: ` ${older} ,${oldest},`,
      TENANT_TOKEN_TTL_SECONDS: '900',
    });
    expect(settings.tenantTokens).toEqual({ secret, previousSecrets: [older, oldest], ttlSeconds: 900 });
  });

  it('treats a blank secret as unset', () => {
    expect(loadSettings({ ...base, TENANT_TOKEN_SECRET: '  ', TENANT_TOKEN_PREVIOUS_SECRETS: '' }).tenantTokens).toMatchObject({
      secret: undefined,
      previousSecrets: [],
    });
  });

  it.each([
    ['TENANT_TOKEN_SECRET', { TENANT_TOKEN_SECRET: 'x'.repeat(31) }],
    ['TENANT_TOKEN_PREVIOUS_SECRETS', { TENANT_TOKEN_PREVIOUS_SECRETS: `${older},short` }],
    ['TENANT_TOKEN_TTL_SECONDS', { TENANT_TOKEN_TTL_SECONDS: '59' }],
    ['TENANT_TOKEN_TTL_SECONDS', { TENANT_TOKEN_TTL_SECONDS: '86401' }],
    ['TENANT_TOKEN_TTL_SECONDS', { TENANT_TOKEN_TTL_SECONDS: 'an hour' }],
  ])('stops with a message naming %s', (name, override) => {
    expect(() => loadSettings({ ...base, ...override })).toThrow(SettingsError);
    expect(() => loadSettings({ ...base, ...override })).toThrow(new RegExp(name));
  });

  it('counts a secret in bytes, so 32 bytes of multi-byte characters are enough', () => {
    expect(loadSettings({ ...base, TENANT_TOKEN_SECRET: 'é'.repeat(16) }).tenantTokens.secret).toBe('é'.repeat(16));
  });

  it('never shows a short secret in the settings error', () => {
    try {
      loadSettings({ ...base, TENANT_TOKEN_SECRET: 'short-but-secret' });
      throw new Error('expected a SettingsError');
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as Error).message).not.toContain('short-but-secret');
    }
  });

  it('masks the secrets when described for the log', () => {
    const settings = loadSettings({ ...base, TENANT_TOKEN_SECRET: secret, TENANT_TOKEN_PREVIOUS_SECRETS: older });
    const described = describeSettings(settings);
    expect(JSON.stringify(described)).not.toContain(secret);
    expect(JSON.stringify(described)).not.toContain(older);
    expect(described).toMatchObject({ tenantTokens: { secret: '********', previousSecrets: ['********'], ttlSeconds: 3600 } });
  });
});
