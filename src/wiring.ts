import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Settings } from './config/settings.js';
import { createRowExecutor } from './executor/row-executor.js';
import { createRowServices } from './executor/row-services.js';
import { ClientDivisionsCheck } from './genesys/client-divisions-check.js';
import { closeDirectories, createDirectories, type Directories } from './genesys/directories.js';
import { connectToGenesys, type GenesysConnection } from './genesys/genesys-connection.js';
import type { GenesysClient } from './genesys/upstream-client.js';
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
import { GenesysBudget } from './state/rate-limits/genesys-budget.js';
import { MemoryRateLimiter } from './state/rate-limits/memory-rate-limiter.js';
import type { RateLimiter } from './state/rate-limits/rate-limiter.js';
import { RedisRateLimiter } from './state/rate-limits/redis-rate-limiter.js';
import { MemoryReadCache } from './state/read-cache/read-cache.js';
import { RedisReadCache } from './state/read-cache/redis-read-cache.js';
import { redisTargetOf } from './state/redis/redis-client.js';
import { RedisConnection } from './state/redis/redis-connection.js';
import { RedisTokenCache } from './state/tokens/redis-token-cache.js';
import { MemoryTokenCache, type TokenCache } from './state/tokens/token-cache.js';
import { createTenantTokens } from './tenant-tokens/tenant-tokens.js';
import { KeyExpiryWatch } from './tenants/key-expiry-watch.js';
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
  /** Tests only (never from settings or the network): tenants whose answers are not scoped by division. */
  readonly unscopedTenantsForTests?: ReadonlySet<string>;
  /** Limits of the notification multiplexer (defaults: Genesys's). */
  readonly notifications?: NotificationOverrides;
}

/** Tests only: limits and timings over those the settings give (short intervals, small caps). */
export interface NotificationOverrides {
  readonly limits?: Partial<NotificationsOptions['limits']>;
  readonly upstream?: Partial<NotificationsOptions['upstream']>;
}

/** Every long-lived part of one proxy, built once, each from the parts it needs. */
export interface GatewayParts {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: Metrics;
  /** Present when REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES is set: the state replicas share. */
  readonly redis: RedisConnection | undefined;
  readonly genesys: GenesysConnection;
  readonly tenants: TenantStore;
  readonly reloader: TenantReloader;
  readonly directories: Directories;
  readonly jobs: JobRegistry;
  readonly rateLimiter: RateLimiter;
  /** What each tenant's own Genesys client sees, against its file (start and reload). */
  readonly clientDivisions: ClientDivisionsCheck;
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

/** What the notification multiplexer is built from. */
export interface NotificationParts {
  readonly settings: Settings;
  readonly client: GenesysClient;
  readonly tenants: () => TenantRegistry;
  readonly directories: NotificationsOptions['directories'];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Limits that the settings do not give (tests shorten the intervals). */
  readonly overrides?: NotificationOverrides;
}

/** The notification multiplexer, its limits from the settings. */
export function wireNotifications(parts: NotificationParts): Notifications {
  const { settings } = parts;
  return createNotifications({
    api: genesysNotificationsApi(parts.client),
    tenants: parts.tenants,
    directories: parts.directories,
    registry: parts.metrics.registry,
    logger: parts.logger,
    clock: parts.clock,
    limits: {
      channelsPerKey: settings.notifications.channelsPerKey,
      topicsPerChannel: settings.notifications.topicsPerChannel,
      maxBufferedBytes: settings.notifications.maxBufferedBytes,
      revalidateIntervalMs: Math.max(100, Math.floor(settings.tenantsReloadIntervalMs / 2)),
      ...parts.overrides?.limits,
    },
    upstream: {
      maxChannels: settings.notifications.upstreamChannels,
      maxTopicsPerChannel: settings.notifications.upstreamTopicsPerChannel,
      ...parts.overrides?.upstream,
    },
  });
}

/** How often the directories reload the org (one replica does it for all with Redis). */
const DIRECTORY_REFRESH_MS = 60_000;

/** The composition root: the only place that chooses implementations (memory or Redis, real or fake clock). */
export function wireGateway(options: WiringOptions): GatewayParts {
  const { settings, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? new Metrics();
  const redisTarget = redisTargetOf(settings);
  const redisStatus = new RedisStatus(redisTarget !== undefined, clock.now);
  const redis = redisTarget
    ? new RedisConnection({
        target: redisTarget,
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
  const readCache = settings.readCacheTtlMs > 0 ? (redis ? new RedisReadCache(redis, memoryReadCache()) : memoryReadCache()) : undefined;
  // One cache, partitioned by Genesys client (a tenant client's answers never serve another tenant)
  // and by the directories' assignments (nothing read before a queue or user moved is shared after).
  const readSharingFor = (client?: string) =>
    new ReadSharing({
      ...(readCache ? { cache: readCache } : {}),
      ttlMs: settings.readCacheTtlMs,
      ...(client !== undefined ? { client } : {}),
      onResult: (result) => metrics.cacheLookups.inc({ cache: 'genesys-reads', result }),
      partition: () => `${directories.queues.assignments()}.${directories.users.assignments()}`,
    });
  const tokenCacheFor = (clientId: string): TokenCache => (redis ? new RedisTokenCache(redis, clientId) : new MemoryTokenCache());
  const limits = { upstreamPerMinute: settings.rateLimits.upstreamPerMinute, reserveFraction: settings.rateLimits.reserveFraction };
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter(redis, limits, new MemoryRateLimiter(limits, { divisor: settings.rateLimits.replicaCount, now: clock.now }))
    : new MemoryRateLimiter(limits, { now: clock.now });
  const tenants = new TenantStore(options.tenants);
  const budget = new GenesysBudget({
    limiter: rateLimiter,
    configuredPerMinute: settings.rateLimits.upstreamPerMinute,
    // Equal shares of the budget for every configured tenant; idle shares can be borrowed.
    shareOf: (_tenantId, perMinute) => Math.max(1, perMinute / Math.max(1, tenants.current().size)),
    now: clock.now,
    onCall: (reason, tenantId, remaining) => {
      metrics.genesysCalls.inc({ reason, tenant: tenantId ?? '' });
      if (remaining !== undefined) metrics.budgetRemaining.set(remaining);
      metrics.upstreamBudget.set(budget.perMinute());
    },
    onRefusal: (tenantId) => metrics.rateLimitRejections.inc({ tenant: tenantId, limit: 'upstream' }),
  });
  const genesys = connectToGenesys(settings, {
    budget,
    logger,
    clock,
    tokenCache: options.tokenCache ?? tokenCacheFor(settings.genesys.clientId),
    readSharing: readSharingFor(),
    tenantTokenCache: tokenCacheFor,
    tenantReadSharing: readSharingFor,
    onLogin: (outcome) => metrics.tokenRequests.inc({ outcome, client: 'proxy' }),
    onTenantLogin: (clientId, outcome) => metrics.tokenRequests.inc({ outcome, client: clientId }),
  });
  const clientDivisions = new ClientDivisionsCheck({
    clients: genesys.tenantClients,
    logger,
    onResults: (results) => {
      metrics.tenantClientDivisions.reset();
      for (const result of results) {
        if (result.error !== undefined) continue;
        metrics.tenantClientDivisions.set({ tenant: result.tenantId, kind: 'extra' }, result.extra.length);
        metrics.tenantClientDivisions.set({ tenant: result.tenantId, kind: 'missing' }, result.missing.length);
      }
    },
  });
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
  const keyExpiry = new KeyExpiryWatch({ store: tenants, logger, now: clock.now });
  metrics.observeKeyExpiries(() => keyExpiry.expiries());
  keyExpiry.check();
  keyExpiry.start();
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
        if (outcome.changed) keyExpiry.check();
      }
      if (outcome.ok && outcome.changed) void clientDivisions.run(tenants.current().list());
    },
  });
  const stopFirstCheck = startClientDivisionsCheck(() => void clientDivisions.run(tenants.current().list()), options.tenants, redis);
  let draining = false;
  const readiness: ReadinessCheck[] = [
    { name: 'shutdown', check: async () => (draining ? 'shutting down' : undefined) },
    { name: 'tenantConfig', check: async () => (tenants.current().size > 0 ? undefined : 'no tenants configured') },
    {
      name: 'genesysToken',
      check: async () => ((await genesys.tokens.isAvailable()) ? undefined : 'no Genesys access token can be obtained'),
    },
    { name: 'tenantClients', degradesOnly: true, check: async () => clientDivisions.readinessReason() },
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
  const notifications = wireNotifications({
    settings,
    client: genesys.client,
    tenants: () => tenants.current(),
    directories,
    metrics,
    logger,
    clock,
    ...(options.notifications ? { overrides: options.notifications } : {}),
  });
  const app = createApp({
    logger,
    metrics,
    tenants,
    policy: compilePolicy(policyTable),
    execute: createRowExecutor({
      client: genesys.client,
      senderFor: (client) => genesys.tenantClients.connectionFor(client).client,
      directories,
      jobs,
      services: createRowServices({ detailsScanMaxConversations: settings.detailsScanMaxConversations, now: clock.now }),
      scopeOnBytes: settings.scopeOnBytes,
      ...(options.unscopedTenantsForTests ? { unscopedTenants: options.unscopedTenantsForTests } : {}),
    }),
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
    clientDivisions,
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
      keyExpiry.close();
      stopFirstCheck();
      await clientDivisions.settled();
      closeDirectories(directories);
      await genesys.close();
      await redis?.close();
    },
  };
}

/** How long the first tenant-client check waits for Redis, so replicas share each client's login. */
const FIRST_CHECK_REDIS_WAIT_MS = 2_000;

/** The check at start: once Redis is ready (or has had its chance), so that its logins are shared. */
function startClientDivisionsCheck(run: () => void, tenants: TenantRegistry, redis: RedisConnection | undefined): () => void {
  if (!tenants.list().some((tenant) => tenant.genesysClient)) return () => undefined;
  if (!redis || redis.isUp) {
    run();
    return () => undefined;
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    redis.client.off('ready', once);
    run();
  };
  const timer = setTimeout(once, FIRST_CHECK_REDIS_WAIT_MS);
  timer.unref();
  redis.client.once('ready', once);
  return () => {
    done = true;
    clearTimeout(timer);
    redis.client.off('ready', once);
  };
}
