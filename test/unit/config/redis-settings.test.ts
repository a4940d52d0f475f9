import { describeSettings, loadSettings, SettingsError } from '../../../src/config/settings.js';
import { redisTargetOf } from '../../../src/state/redis/redis-client.js';

const base = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'super-secret', GENESYS_REGION: 'mypurecloud.ie' };
const sentinel = { REDIS_SENTINELS: 'sentinel-a:26379, sentinel-b:26379,10.0.0.3:26380', REDIS_SENTINEL_NAME: 'gdp' };

describe('Redis settings', () => {
  it('name a Sentinel-managed primary: the Sentinels, the primary’s name, both passwords and TLS', () => {
    const settings = loadSettings({ ...base, ...sentinel, REDIS_PASSWORD: 'node-pw', REDIS_SENTINEL_PASSWORD: 'sentinel-pw', REDIS_TLS: 'true' });
    expect(redisTargetOf(settings)).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 'sentinel-a', port: 26379 },
        { host: 'sentinel-b', port: 26379 },
        { host: '10.0.0.3', port: 26380 },
      ],
      name: 'gdp',
      password: 'node-pw',
      sentinelPassword: 'sentinel-pw',
      tls: true,
    });
  });

  it('name a Cluster by the nodes to learn it from', () => {
    const settings = loadSettings({ ...base, REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1:6379', REDIS_PASSWORD: 'node-pw' });
    expect(redisTargetOf(settings)).toEqual({ kind: 'cluster', nodes: [{ host: 'redis-0', port: 6379 }, { host: 'redis-1', port: 6379 }], password: 'node-pw', tls: false });
  });

  it('keep REDIS_URL as it was, and in-memory state when no Redis is named', () => {
    expect(redisTargetOf(loadSettings({ ...base, REDIS_URL: 'rediss://redis:6380' }))).toEqual({ kind: 'standalone', url: 'rediss://redis:6380', password: undefined });
    expect(redisTargetOf(loadSettings(base))).toBeUndefined();
  });

  it.each([
    ['REDIS_SENTINELS', { REDIS_SENTINELS: 'sentinel-a', REDIS_SENTINEL_NAME: 'gdp' }],
    ['REDIS_SENTINEL_NAME', { REDIS_SENTINELS: 'sentinel-a:26379' }],
    ['REDIS_CLUSTER_NODES', { ...sentinel, REDIS_CLUSTER_NODES: 'redis-0:6379' }],
    ['REDIS_SENTINELS', { ...sentinel, REDIS_URL: 'redis://redis:6379' }],
    ['REDIS_TLS', { REDIS_URL: 'redis://redis:6379', REDIS_TLS: 'true' }],
    ['REDIS_TLS', { ...sentinel, REDIS_TLS: 'maybe' }],
    ['REDIS_KEY_PREFIX', { REDIS_KEY_PREFIX: 'gdp{}:' }],
  ])('stop with a message naming %s', (name, override) => {
    expect(() => loadSettings({ ...base, ...override })).toThrow(SettingsError);
    expect(() => loadSettings({ ...base, ...override })).toThrow(new RegExp(name));
  });

  it('never show a Redis or Sentinel password when described for the log', () => {
    const described = JSON.stringify(describeSettings(loadSettings({ ...base, ...sentinel, REDIS_PASSWORD: 'node-pw', REDIS_SENTINEL_PASSWORD: 'sentinel-pw' })));
    expect(described).not.toContain('node-pw');
    expect(described).not.toContain('sentinel-pw');
    expect(described).toContain('sentinel-b:26379');
  });
});
