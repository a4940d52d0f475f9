import { describeSettings, loadSettings, SettingsError } from '../../../src/config/settings.js';

const base = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'super-secret', GENESYS_REGION: 'mypurecloud.ie' };

describe('settings', () => {
  it('derives the API and login hosts from the region and applies defaults', () => {
    const settings = loadSettings(base);
    expect(settings.genesys.apiUrl).toBe('https://api.mypurecloud.ie');
    expect(settings.genesys.loginUrl).toBe('https://login.mypurecloud.ie');
    expect(settings).toMatchObject({ port: 8080, host: '0.0.0.0', tenantsDir: 'config/tenants', logLevel: 'info', upstreamTimeoutMs: 30000 });
    expect(settings.redisUrl).toBeUndefined();
  });

  it('lets full URLs override the region', () => {
    const settings = loadSettings({ ...base, GENESYS_API_URL: 'http://127.0.0.1:9090/', GENESYS_LOGIN_URL: 'http://127.0.0.1:9091' });
    expect(settings.genesys).toMatchObject({ apiUrl: 'http://127.0.0.1:9090', loginUrl: 'http://127.0.0.1:9091' });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['GENESYS_CLIENT_SECRET', { GENESYS_CLIENT_SECRET: '' }],
    ['GENESYS_API_URL', { GENESYS_REGION: '' }],
    ['GENESYS_REGION', { GENESYS_REGION: 'https://nope' }],
    ['UPSTREAM_TIMEOUT_MS', { UPSTREAM_TIMEOUT_MS: '5' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['REDIS_URL', { REDIS_URL: 'http://localhost' }],
  ])('stops with a message naming %s', (name, override) => {
    expect(() => loadSettings({ ...base, ...override })).toThrow(SettingsError);
    expect(() => loadSettings({ ...base, ...override })).toThrow(new RegExp(name));
  });

  it('never shows the client secret or a Redis password when described for the log', () => {
    const described = JSON.stringify(describeSettings(loadSettings({ ...base, REDIS_URL: 'redis://user:hunter2@redis:6379' })));
    expect(described).not.toContain('super-secret');
    expect(described).not.toContain('hunter2');
  });
});
