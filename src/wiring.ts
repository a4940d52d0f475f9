import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Settings } from './config/settings.js';
import { createRowExecutor } from './executor/row-executor.js';
import { closeDirectories, createDirectories, type Directories } from './genesys/directories.js';
import { connectToGenesys, type GenesysConnection } from './genesys/genesys-connection.js';
import { ReadSharing } from './genesys/read-sharing.js';
import { createApp } from './http/app.js';
import type { ReadinessCheck } from './http/health.js';
import { Metrics } from './metrics/metrics.js';
import { genesysNotificationsApi } from './notifications/genesys-notifications-api.js';
import { createNotifications, type Notifications, type NotificationsOptions } from './notifications/notifications.js';
import { compilePolicy } from './scoping/policy.js';
import { policyTable } from './scoping/policy-table.js';
import { sharedSnapshotLoader } from './state/directories/shared-snapshot.js';
import { MemoryJobRegistry, type JobRegistry } from './state/jobs/job-registry.js';
import { RedisJobRegistry } from './state/jobs/redis-job-registry.js';
import { MemoryRateLimiter } from './state/rate-limits/memory-rate-limiter.js';
import type { RateLimiter } from './state/rate-limits/rate-limiter.js';
import { RedisRateLimiter } from './state/rate-limits/redis-rate-limiter.js';
import { MemoryReadCache } from './state/read-cache/read-cache.js';
import { RedisReadCache } from './state/read-cache/redis-read-cache.js';
import { RedisConnection } from './state/redis/redis-connection.js';
import { RedisTokenCache } from './state/tokens/redis-token-cache.js';
import { MemoryTokenCache, type TokenCache } from './state/tokens/token-cache.js';
import { createTenantTokens } from './tenant-tokens/tenant-tokens.js';
import { TenantReloader } from './tenants/tenant-reloader.js';
import type { TenantRegistry } from './tenants/tenant-registry.js';
import { TenantStore } from './tenants/tenant-store.js';
import { DriftMonitor } from './drift/division-drift.js';
import { consolePages, type OperationsPages } from './operations/console-routes.js';
import { DivisionNames } from './operations/division-names.js';
import { exportKeyExpiry } from './operations/key-expiry-metric.js';
import { RedisStatus } from './operations/redis-status.js';
import { ReloadHistory } from './operations/reload-history.js';
import { TenantActivity } from './operations/tenant-activity.js';
import { MemoryAuditStore } from './state/audit/memory-audit-store.js';
import { RedisAuditStore } from './state/audit/redis-audit-store.js';
import { auditEntryOf, type AuditStore } from './tenant-audit/audit-store.js';

export interface WiringOptions {
  readonly settings: Settings;
  readonly tenants: TenantRegistry;
  readonly logger: Logger;
  readonly tokenCache?: TokenCache;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
  /** Limits of the notification multiplexer (defaults: Genesys's). */
  readonly notifications?: Pick<NotificationsOptions, 'limits' | 'upstream'>;
}

/** Every long-lived part of one proxy, built once, each from the parts it needs. */
export interface GatewayParts {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: Metrics;
  /** Present when REDIS_URL is set: the state replicas share. */
  readonly redis: RedisConnection | undefined;
  readonly genesys: GenesysConnection;
  readonly tenants: TenantStore;
  readonly reloader: TenantReloader;
  readonly directories: Directories;
  readonly jobs: JobRegistry;
  readonly rateLimiter: RateLimiter;
  readonly readiness: readonly ReadinessCheck[];
  readonly app: RequestListener;
  /** Notification channels: the proxy's Genesys channels, the tenants' channels and sockets. */
  readonly notifications: Notifications;
  /** Objects seen moving between divisions at directory reloads. */
  readonly drift: DriftMonitor;
  /** The tenants' own audit entries (GET /proxy/v1/audit). */
  readonly audit: AuditStore;
  /** The operations console's pages, served on the operations listener. */
  readonly operationsPages: OperationsPages;
  /** Readiness answers "shutting down" from now on. */
  startDraining(): void;
  /** Releases everything but the listeners (the lifecycle closes those first). */
  release(): Promise<void>;
}

/** How often the directories reload the org (one replica does it for all with Redis). */
const DIRECTORY_REFRESH_MS = 60_000;

/** The composition root: the only place that chooses implementations (memory or Redis, real or fake clock). */
export function wireGateway(options: WiringOptions): GatewayParts {
  const { settings, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? new Metrics();
  const redisStatus = new RedisStatus(settings.redisUrl !== undefined, clock.now);
  const redis = settings.redisUrl
    ? new RedisConnection({
        url: settings.redisUrl,
        keyPrefix: settings.redisKeyPrefix,
        commandTimeoutMs: settings.redisCommandTimeoutMs,
        logger,
        onStateChange: (up) => {
          metrics.redisUp.set(up ? 1 : 0);
          redisStatus.changed(up);
        },
      })
    : undefined;
  if (redis) metrics.redisUp.set(0);
  const memoryReadCache = () => new MemoryReadCache({ now: clock.now });
  const readSharing = new ReadSharing({
    ...(settings.readCacheTtlMs > 0 ? { cache: redis ? new RedisReadCache(redis, memoryReadCache()) : memoryReadCache() } : {}),
    ttlMs: settings.readCacheTtlMs,
    onResult: (result) => metrics.cacheLookups.inc({ cache: 'genesys-reads', result }),
    // Nothing read before a queue or user moved is shared with a request made after (division drift).
    partition: () => `${directories.queues.assignments()}.${directories.users.assignments()}`,
  });
  const genesys = connectToGenesys(settings, {
    logger,
    clock,
    tokenCache: options.tokenCache ?? (redis ? new RedisTokenCache(redis, settings.genesys.clientId) : new MemoryTokenCache()),
    readSharing,
    onLogin: (outcome) => metrics.tokenRequests.inc({ outcome }),
  });
  const tenants = new TenantStore(options.tenants);
  metrics.tenants.set(options.tenants.size);
  metrics.upstreamBudget.set(settings.rateLimits.upstreamPerMinute);
  exportKeyExpiry(metrics, options.tenants);
  const reloads = new ReloadHistory({ now: clock.now });
  const activity = new TenantActivity({ now: clock.now });
  const audit: AuditStore = redis
    ? new RedisAuditStore(redis, new MemoryAuditStore({ now: clock.now }), { now: clock.now })
    : new MemoryAuditStore({ now: clock.now });
  const drift = new DriftMonitor({
    tenants: () => tenants.current(),
    logger,
    onDrift: (event) => metrics.divisionDrift.inc({ directory: event.directory }),
  });
  const reloader = new TenantReloader({
    dir: settings.tenantsDir,
    store: tenants,
    logger,
    pollIntervalMs: settings.tenantsReloadIntervalMs,
    onReload: (outcome) => {
      metrics.configReloads.inc({ outcome: outcome.ok ? 'success' : 'failure' });
      reloads.record(outcome);
      if (outcome.ok) {
        metrics.tenants.set(outcome.tenants);
        exportKeyExpiry(metrics, tenants.current());
      }
    },
  });
  const limits = { upstreamPerMinute: settings.rateLimits.upstreamPerMinute, reserveFraction: settings.rateLimits.reserveFraction };
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter(redis, limits, new MemoryRateLimiter(limits, { divisor: settings.rateLimits.replicaCount, now: clock.now }))
    : new MemoryRateLimiter(limits, { now: clock.now });
  let draining = false;
  const readiness: ReadinessCheck[] = [
    { name: 'shutdown', check: async () => (draining ? 'shutting down' : undefined) },
    { name: 'tenantConfig', check: async () => (tenants.current().size > 0 ? undefined : 'no tenants configured') },
    {
      name: 'genesysToken',
      check: async () => ((await genesys.tokens.isAvailable()) ? undefined : 'no Genesys access token can be obtained'),
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
  const directories = createDirectories({
    client: genesys.client,
    ...(redis
      ? { share: (name, load) => sharedSnapshotLoader(load, { redis, name, freshForMs: DIRECTORY_REFRESH_MS - 5_000, logger, now: clock.now }) }
      : {}),
    refreshIntervalMs: DIRECTORY_REFRESH_MS,
    now: clock.now,
    onLookup: (name, result) => metrics.cacheLookups.inc({ cache: `${name.replace(/s$/, '')}-directory`, result }),
    onRefreshFailure: (name, error) => logger.warn({ err: error, directory: `${name.replace(/s$/, '')}-directory` }, 'directory refresh failed'),
    onLoad: (name, load) => {
      metrics.directoryLoaded.set({ directory: name }, load.at / 1000);
      metrics.directoryEntries.set({ directory: name }, load.entries);
      drift.loaded(name, load);
    },
  });
  const jobs: JobRegistry = redis ? new RedisJobRegistry(redis, new MemoryJobRegistry({ now: clock.now })) : new MemoryJobRegistry({ now: clock.now });
  const notifications = createNotifications({
    api: genesysNotificationsApi(genesys.client),
    tenants: () => tenants.current(),
    directories,
    registry: metrics.registry,
    logger,
    clock,
    ...options.notifications,
    limits: { revalidateIntervalMs: Math.max(100, Math.floor(settings.tenantsReloadIntervalMs / 2)), ...options.notifications?.limits },
  });
  const app = createApp({
    logger,
    metrics,
    tenants,
    policy: compilePolicy(policyTable),
    execute: createRowExecutor({ client: genesys.client, directories, jobs }),
    maxRequestBodyBytes: settings.maxRequestBodyBytes,
    readiness,
    tenantTokens: createTenantTokens(settings.tenantTokens, logger),
    rateLimiter,
    rateLimits: settings.rateLimits,
    notifications: notifications.service,
    requestObservers: [
      activity.observe,
      (record) => {
        const entry = auditEntryOf(record);
        if (entry) void audit.append(entry.tenantId, entry.entry).catch(() => undefined);
      },
    ],
    auditStore: audit,
    now: clock.now,
  });
  const operationsPages = consolePages({
    tenants: () => tenants.current(),
    activity,
    reloads,
    drift,
    directories,
    token: () => genesys.tokens.status(),
    redis: redisStatus,
    divisionNames: new DivisionNames({ client: genesys.client, now: clock.now }),
    limits: settings.rateLimits,
    now: clock.now,
  });
  return {
    settings,
    logger,
    clock,
    metrics,
    redis,
    genesys,
    tenants,
    reloader,
    directories,
    jobs,
    rateLimiter,
    readiness,
    app,
    notifications,
    drift,
    audit,
    operationsPages,
    startDraining: () => {
      draining = true;
      // Tenant sockets are told to move before the listeners drain: an open socket would hold them.
      notifications.close();
    },
    async release() {
      reloader.close();
      closeDirectories(directories);
      await genesys.close();
      await redis?.close();
    },
  };
}
