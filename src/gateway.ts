import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Settings } from './config/settings.js';
import type { DriftMonitor } from './drift/division-drift.js';
import type { Directories } from './genesys/directories.js';
import type { TokenManager } from './genesys/token-manager.js';
import { createOperationsServer } from './http/operations-server.js';
import type { Metrics } from './metrics/metrics.js';
import { Listeners, type RunningServer } from './server/lifecycle.js';
import type { RedisConnection } from './state/redis/redis-connection.js';
import type { TokenCache } from './state/tokens/token-cache.js';
import type { AuditStore } from './tenant-audit/audit-store.js';
import type { TenantReloader } from './tenants/tenant-reloader.js';
import type { TenantRegistry } from './tenants/tenant-registry.js';
import type { TenantStore } from './tenants/tenant-store.js';
import type { Notifications } from './notifications/notifications.js';
import { wireGateway, type WiringOptions } from './wiring.js';

export type { RunningServer } from './server/lifecycle.js';

export interface GatewayOptions {
  readonly settings: Settings;
  readonly tenants: TenantRegistry;
  readonly logger: Logger;
  readonly tokenCache?: TokenCache;
  /** Watch TENANTS_DIR and reload on change (main turns this on; most tests do not). */
  readonly watchTenants?: boolean;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
  /** Tests only (never from settings or the network): tenants whose answers are not scoped by division. */
  readonly unscopedTenantsForTests?: ReadonlySet<string>;
  /** Limits of the notification multiplexer (defaults: Genesys's). */
  readonly notifications?: WiringOptions['notifications'];
}

export interface Gateway {
  /** The tenant-facing request handler (an express app, which nothing outside http/ relies on). */
  readonly app: RequestListener;
  readonly tokens: TokenManager;
  readonly tenants: TenantStore;
  readonly reloader: TenantReloader;
  readonly metrics: Metrics;
  /** The org-wide directories (`refresh()` reloads one now). */
  readonly directories: Directories;
  /** Present when REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES is set. */
  readonly redis: RedisConnection | undefined;
  /** Notification channels and sockets. */
  readonly notifications: Notifications;
  /** Objects seen moving between divisions at directory reloads. */
  readonly drift: DriftMonitor;
  /** The tenants' own audit entries (GET /proxy/v1/audit). */
  readonly audit: AuditStore;
  listen(port?: number, host?: string): Promise<RunningServer>;
  /** The operations listener: /metrics, /healthz, /readyz and the console (/console). */
  listenOperations(port?: number, host?: string): Promise<RunningServer>;
  /** Stops accepting, lets in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), then releases everything. */
  close(): Promise<void>;
}

/** One proxy: its parts (wired in `wiring.ts`) and its listeners (`server/lifecycle.ts`). */
export function createGateway(options: GatewayOptions): Gateway {
  const parts = wireGateway(options);
  const { settings } = parts;
  const listeners = new Listeners(settings.shutdownTimeoutMs);
  let watching = false;
  return {
    app: parts.app,
    tokens: parts.genesys.tokens,
    tenants: parts.tenants,
    reloader: parts.reloader,
    metrics: parts.metrics,
    directories: parts.directories,
    redis: parts.redis,
    notifications: parts.notifications,
    drift: parts.drift,
    audit: parts.audit,
    async listen(port = settings.port, host = settings.host) {
      if (options.watchTenants && !watching) {
        watching = true;
        await parts.reloader.start();
      }
      return listeners.listenApp(parts.app, port, host, settings.upstreamTimeoutMs, (server) => parts.notifications.acceptSockets(server));
    },
    listenOperations(port = settings.metricsPort, host = settings.host) {
      return listeners.listen(createOperationsServer(parts.metrics, parts.readiness, parts.operationsPages), port, host);
    },
    async close() {
      parts.startDraining();
      await listeners.drainAll();
      await parts.release();
    },
  };
}
