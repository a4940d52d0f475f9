import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Settings } from './config/settings.js';
import { connectToGenesys } from './genesys/genesys-connection.js';
import { MemoryJobRegistry } from './genesys/job-registry.js';
import { createQueueDirectory } from './genesys/queue-directory.js';
import { createUserDirectory } from './genesys/user-directory.js';
import { MemoryTokenCache, type TokenCache } from './genesys/token-cache.js';
import type { TokenManager } from './genesys/token-manager.js';
import { createApp } from './http/app.js';
import { refuseTunnels } from './http/connect-refusal.js';
import type { ReadinessCheck } from './http/health.js';
import { createOperationsServer } from './http/operations-server.js';
import type { Directories } from './http/ownership.js';
import { createStreamProxy } from './http/stream-proxy.js';
import { Metrics } from './metrics/metrics.js';
import { genesysNotificationsApi } from './notifications/genesys-notifications-api.js';
import { createNotifications, type Notifications, type NotificationsOptions } from './notifications/notifications.js';
import { MemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter.js';
import { RedisConnection } from './redis/redis-connection.js';
import { MemoryReadCache } from './genesys/read-cache.js';
import { ReadSharing } from './genesys/read-sharing.js';
import { RedisJobRegistry } from './redis/redis-job-registry.js';
import { RedisReadCache } from './redis/redis-read-cache.js';
import { RedisTokenCache } from './redis/redis-token-cache.js';
import { sharedSnapshotLoader } from './redis/shared-snapshot.js';
import type { DirectoryEntry } from './scoping/division-index.js';
import { compilePolicy } from './scoping/policy.js';
import { policyTable } from './scoping/policy-table.js';
import { createTenantTokens } from './tenant-tokens/tenant-tokens.js';
import { TenantReloader } from './tenants/tenant-reloader.js';
import type { TenantRegistry } from './tenants/tenant-registry.js';
import { TenantStore } from './tenants/tenant-store.js';
import { USER_AGENT } from './version.js';

export interface GatewayOptions {
  readonly settings: Settings;
  readonly tenants: TenantRegistry;
  readonly logger: Logger;
  readonly tokenCache?: TokenCache;
  /** Watch TENANTS_DIR and reload on change (main turns this on; most tests do not). */
  readonly watchTenants?: boolean;
  readonly metrics?: Metrics;
  /** Limits of the notification multiplexer (defaults: Genesys's). */
  readonly notifications?: Pick<NotificationsOptions, 'limits' | 'upstream'>;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Gateway {
  readonly app: Express;
  readonly tokens: TokenManager;
  readonly tenants: TenantStore;
  readonly reloader: TenantReloader;
  readonly metrics: Metrics;
  /** Queue and user directories (`refresh()` reloads one now) and the analytics job registry. */
  readonly directories: Directories;
  /** Present when REDIS_URL is set. */
  readonly redis: RedisConnection | undefined;
  /** Notification channels: the proxy's Genesys channels and the tenants' channels and sockets. */
  readonly notifications: Notifications;
  listen(port?: number, host?: string): Promise<RunningServer>;
  /** The operations listener: /metrics, /healthz, /readyz. */
  listenOperations(port?: number, host?: string): Promise<RunningServer>;
  /** Stops accepting, lets in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), then releases everything. */
  close(): Promise<void>;
}

/** How often the queue and user directories reload the org (one replica does it for all with Redis). */
const DIRECTORY_REFRESH_MS = 60_000;

/** The composition root: every long-lived part of the proxy is built here and nowhere else. */
export function createGateway(options: GatewayOptions): Gateway {
  const { settings, logger } = options;
  const metrics = options.metrics ?? new Metrics();
  const redis = settings.redisUrl
    ? new RedisConnection({
        url: settings.redisUrl,
        keyPrefix: settings.redisKeyPrefix,
        commandTimeoutMs: settings.redisCommandTimeoutMs,
        logger,
        onStateChange: (up) => metrics.redisUp.set(up ? 1 : 0),
      })
    : undefined;
  if (redis) metrics.redisUp.set(0);
  const readSharing = new ReadSharing({
    ...(settings.readCacheTtlMs > 0 ? { cache: redis ? new RedisReadCache(redis, new MemoryReadCache()) : new MemoryReadCache() } : {}),
    ttlMs: settings.readCacheTtlMs,
    onResult: (result) => metrics.cacheLookups.inc({ cache: 'genesys-reads', result }),
  });
  const genesys = connectToGenesys(settings, {
    logger,
    tokenCache: options.tokenCache ?? (redis ? new RedisTokenCache(redis, settings.genesys.clientId) : new MemoryTokenCache()),
    readSharing,
    onLogin: (outcome) => metrics.tokenRequests.inc({ outcome }),
  });
  const { tokens, client } = genesys;
  const tenants = new TenantStore(options.tenants);
  metrics.tenants.set(options.tenants.size);
  const reloader = new TenantReloader({
    dir: settings.tenantsDir,
    store: tenants,
    logger,
    pollIntervalMs: settings.tenantsReloadIntervalMs,
    onReload: (outcome) => {
      metrics.configReloads.inc({ outcome: outcome.ok ? 'success' : 'failure' });
      if (outcome.ok) metrics.tenants.set(outcome.tenants);
    },
  });
  const streamProxy = createStreamProxy({
    apiUrl: settings.genesys.apiUrl,
    tokens,
    timeoutMs: settings.upstreamTimeoutMs,
    maxSockets: settings.upstreamMaxSockets,
    userAgent: USER_AGENT,
  });
  const limits = { upstreamPerMinute: settings.rateLimits.upstreamPerMinute, reserveFraction: settings.rateLimits.reserveFraction };
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter(redis, limits, new MemoryRateLimiter(limits, { divisor: settings.rateLimits.replicaCount }))
    : new MemoryRateLimiter(limits);
  let draining = false;
  const readiness: ReadinessCheck[] = [
    { name: 'shutdown', check: async () => (draining ? 'shutting down' : undefined) },
    { name: 'tenantConfig', check: async () => (tenants.current().size > 0 ? undefined : 'no tenants configured') },
    {
      name: 'genesysToken',
      check: async () => ((await tokens.isAvailable()) ? undefined : 'no Genesys access token can be obtained'),
    },
    ...(redis
      ? [
          {
            name: 'redis',
            degradesOnly: true,
            check: async () => (redis.isUp ? undefined : 'unreachable: per-replica token and rate limits in use'),
          },
        ]
      : []),
  ];
  const directoryOptions = (cache: string) => ({
    client,
    ...(redis
      ? {
          share: (name: string, load: (correlationId: string) => Promise<DirectoryEntry[]>) =>
            sharedSnapshotLoader(load, { redis, name, freshForMs: DIRECTORY_REFRESH_MS - 5_000, logger }),
        }
      : {}),
    refreshIntervalMs: DIRECTORY_REFRESH_MS,
    onLookup: (result: 'hit' | 'miss') => metrics.cacheLookups.inc({ cache, result }),
    onRefreshFailure: (error: unknown) => logger.warn({ err: error, directory: cache }, 'directory refresh failed'),
  });
  const directories: Directories = {
    queues: createQueueDirectory(directoryOptions('queue-directory')),
    users: createUserDirectory(directoryOptions('user-directory')),
    jobs: redis ? new RedisJobRegistry(redis, new MemoryJobRegistry()) : new MemoryJobRegistry(),
  };
  const notifications = createNotifications({
    api: genesysNotificationsApi(client),
    tenants: () => tenants.current(),
    directories,
    registry: metrics.registry,
    logger,
    ...options.notifications,
    limits: { revalidateIntervalMs: Math.max(100, Math.floor(settings.tenantsReloadIntervalMs / 2)), ...options.notifications?.limits },
  });
  const app = createApp({
    logger,
    metrics,
    tenants,
    policy: compilePolicy(policyTable),
    client,
    directories,
    maxRequestBodyBytes: settings.maxRequestBodyBytes,
    streamProxy,
    readiness,
    tenantTokens: createTenantTokens(settings.tenantTokens, logger),
    rateLimiter,
    rateLimits: settings.rateLimits,
    notifications: notifications.service,
  });
  const servers = new Set<http.Server>();
  let started = false;

  async function startWatching(): Promise<void> {
    if (started || !options.watchTenants) return;
    started = true;
    await reloader.start();
  }

  return {
    app,
    tokens,
    tenants,
    reloader,
    metrics,
    directories,
    redis,
    notifications,
    async listen(port = settings.port, host = settings.host) {
      const server = http.createServer({ maxHeaderSize: 16 * 1024, requestTimeout: settings.upstreamTimeoutMs + 30_000 }, app);
      server.keepAliveTimeout = 65_000;
      refuseTunnels(server);
      notifications.acceptSockets(server);
      await startWatching();
      return track(server, port, host);
    },
    async listenOperations(port = settings.metricsPort, host = settings.host) {
      return track(createOperationsServer(metrics, readiness), port, host);
    },
    async close() {
      draining = true;
      notifications.close();
      await Promise.all([...servers].map((server) => drain(server, settings.shutdownTimeoutMs)));
      reloader.close();
      streamProxy.close();
      directories.queues.close();
      directories.users.close();
      await genesys.close();
      await redis?.close();
    },
  };

  async function track(server: http.Server, port: number, host: string): Promise<RunningServer> {
    servers.add(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      url: `http://${shownHost}:${address.port}`,
      port: address.port,
      close: () => drain(server, settings.shutdownTimeoutMs).finally(() => servers.delete(server)),
    };
  }
}

/**
 * Stops accepting connections and waits for in-flight requests; keep-alive connections are closed
 * as soon as they are idle, and whatever is still open at the deadline is cut.
 */
function drain(server: http.Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
