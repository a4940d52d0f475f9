import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisNode, Settings } from '../../config/settings.js';

/** Where the shared state lives: one Redis (or a managed endpoint), a Sentinel-managed primary, or a Cluster. */
export type RedisTarget =
  | { readonly kind: 'standalone'; readonly url: string; readonly password?: string | undefined }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      readonly name: string;
      readonly password?: string | undefined;
      readonly sentinelPassword?: string | undefined;
      readonly tls: boolean;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly password?: string | undefined; readonly tls: boolean };

export type RedisClient = Redis | Cluster;

/** The Redis the settings name, if any (the settings allow at most one kind). */
export function redisTargetOf(
  settings: Pick<Settings, 'redisUrl' | 'redisSentinel' | 'redisClusterNodes' | 'redisPassword' | 'redisTls'>,
): RedisTarget | undefined {
  const { redisPassword: password, redisTls: tls } = settings;
  if (settings.redisSentinel) {
    const { sentinels, name, password: sentinelPassword } = settings.redisSentinel;
    return { kind: 'sentinel', sentinels, name, password, sentinelPassword, tls };
  }
  if (settings.redisClusterNodes) return { kind: 'cluster', nodes: settings.redisClusterNodes, password, tls };
  if (settings.redisUrl) return { kind: 'standalone', url: settings.redisUrl, password };
  return undefined;
}

/** Reconnection never stops: the proxy resumes sharing state whenever Redis is back. */
const backoff = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000);

/**
 * Every client fails fast: no offline queue (a command while disconnected fails at once and the
 * caller falls back to per-replica state), one attempt, a short deadline per command.
 */
function failFast(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: backoff,
  };
}

/**
 * The one Redis client of a proxy. With Sentinel it asks the Sentinels for the current primary,
 * connects only to a node that says it is the primary, and follows a failover (announced by the
 * Sentinels, or found when the old primary goes away or answers READONLY) without a restart. With
 * Cluster it routes each command to the primary of its key's slot and relearns the slots while a
 * replica takes over.
 */
export function createRedisClient(target: RedisTarget, commandTimeoutMs: number): RedisClient {
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, {
        ...failFast(commandTimeoutMs),
        // A password in the URL wins over this one.
        ...(target.password === undefined ? {} : { password: target.password }),
        // A primary demoted behind a load balancer or DNS name answers READONLY: reconnect to find the new one.
        reconnectOnError: (error) => error.message.startsWith('READONLY'),
      });
    case 'sentinel':
      return new Redis({
        ...failFast(commandTimeoutMs),
        sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
        name: target.name,
        role: 'master',
        password: target.password,
        sentinelPassword: target.sentinelPassword,
        sentinelRetryStrategy: backoff,
        failoverDetector: true,
        reconnectOnError: (error) => error.message.startsWith('READONLY'),
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      });
    case 'cluster':
      return new Cluster(
        target.nodes.map(({ host, port }) => ({ host, port })),
        clusterOptions(target, commandTimeoutMs),
      );
  }
}

function clusterOptions(target: Extract<RedisTarget, { kind: 'cluster' }>, commandTimeoutMs: number): ClusterOptions {
  return {
    enableOfflineQueue: false,
    clusterRetryStrategy: backoff,
    // While a primary is down its slots fail at once rather than being retried for seconds: the
    // caller falls back, and the slot table is relearned in the background below.
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    retryDelayOnTryAgain: 0,
    maxRedirections: 4,
    slotsRefreshInterval: 1_000,
    slotsRefreshTimeout: 1_000,
    redisOptions: {
      ...failFast(commandTimeoutMs),
      ...(target.password === undefined ? {} : { password: target.password }),
      ...(target.tls ? { tls: {} } : {}),
    },
    // With TLS the nodes are named as their certificates are; resolving them first would break verification.
    ...(target.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
  };
}
