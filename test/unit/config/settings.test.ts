import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describeSettings, loadSettings, SETTING_NAMES, settingHint, SettingsError } from '../../../src/config/settings.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

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

  it('lists every problem at once, each with the variable and what a good value looks like', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET', 'LOG_LEVEL', 'GENESYS_API_URL', 'GENESYS_LOGIN_URL']);
    expect(problems[0]).toBe('PORT: must be a number (good: a free TCP port, e.g. 8080)');
    expect(problems[1]).toBe('GENESYS_CLIENT_ID: is required (good: the client id of the proxy’s own Genesys OAuth client (client credentials), a UUID)');
    expect(problems[4]).toContain('GENESYS_API_URL: is required when GENESYS_REGION is not set');
    for (const problem of problems) expect(problem).toMatch(/\(good: .+\)$/);
  });

  it('takes the notification limits from the environment, Genesys’s own by default', () => {
    expect(loadSettings(base).notifications).toEqual({ channelsPerKey: 20, topicsPerChannel: 1000, maxBufferedBytes: 1_048_576, upstreamChannels: 1, upstreamTopicsPerChannel: 1000 });
    const set = loadSettings({ ...base, NOTIFICATION_CHANNELS_PER_KEY: '5', NOTIFICATION_MAX_BUFFERED_BYTES: '65536', NOTIFICATION_UPSTREAM_CHANNELS: '2' }).notifications;
    expect(set).toMatchObject({ channelsPerKey: 5, maxBufferedBytes: 65_536, upstreamChannels: 2 });
    expect(problemsOf({ ...base, NOTIFICATION_UPSTREAM_CHANNELS: '21', NOTIFICATION_UPSTREAM_TOPICS_PER_CHANNEL: '1001' }).map((p) => p.split(':')[0])).toEqual([
      'NOTIFICATION_UPSTREAM_CHANNELS',
      'NOTIFICATION_UPSTREAM_TOPICS_PER_CHANNEL',
    ]);
  });

  it('describes a good value for every setting', () => {
    for (const name of SETTING_NAMES) expect(settingHint(name)).toEqual(expect.any(String));
  });

  it('refuses PORT and METRICS_PORT on the same port, naming both', () => {
    expect(problemsOf({ ...base, PORT: '9000', METRICS_PORT: '9000' })).toEqual([
      'METRICS_PORT: is the same port as PORT (9000); the operations listener needs a port of its own (good: a free TCP port other than PORT, e.g. 9464, or 0 to turn the operations listener off)',
    ]);
    expect(loadSettings({ ...base, PORT: '0', METRICS_PORT: '0' }).port).toBe(0);
  });

  it('refuses the placeholder values of the Kubernetes Secret', () => {
    const secret = parse(readFileSync('docker/k8s/secret.yaml', 'utf8')) as { stringData: Record<string, string> };
    const problems = problemsOf({ GENESYS_REGION: 'mypurecloud.com', ...secret.stringData });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET', 'TENANT_TOKEN_SECRET']);
    for (const problem of problems) expect(problem).toContain('is still the placeholder text');
    expect(problemsOf({ ...base, GENESYS_CLIENT_SECRET: 'changeme' })[0]).toMatch(/^GENESYS_CLIENT_SECRET: is still the placeholder text/);
  });

  it('refuses TENANT_TOKEN_PREVIOUS_SECRETS without TENANT_TOKEN_SECRET', () => {
    expect(problemsOf({ ...base, TENANT_TOKEN_PREVIOUS_SECRETS: 'older-token-secret-0123456789-abcdefghij' })[0]).toMatch(
      /^TENANT_TOKEN_PREVIOUS_SECRETS: is set but TENANT_TOKEN_SECRET is not/,
    );
  });
});
