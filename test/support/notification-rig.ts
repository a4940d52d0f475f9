import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/clock.js';
import { loadSettings } from '../../src/config/settings.js';
import { connectToGenesys, type GenesysConnection } from '../../src/genesys/genesys-connection.js';
import { SnapshotDirectory } from '../../src/genesys/org-directory.js';
import { createLogger } from '../../src/logging/logger.js';
import { Metrics } from '../../src/metrics/metrics.js';
import type { Caller } from '../../src/notifications/notification-service.js';
import type { Notifications } from '../../src/notifications/notifications.js';
import { createSimulator, type RunningSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import type { TenantRegistry } from '../../src/tenants/tenant-registry.js';
import { TenantStore } from '../../src/tenants/tenant-store.js';
import { wireNotifications, type NotificationOverrides } from '../../src/wiring.js';
import { testTenants } from './tenants.js';

/**
 * The notification multiplexer alone against the simulator: real Genesys client, directories of
 * the simulator's org, a listening server for tenant sockets. For tests of the multiplexer that
 * need no HTTP route in front of it.
 */
export interface NotificationRig {
  readonly sim: Simulator;
  readonly notifications: Notifications;
  readonly metrics: Metrics;
  readonly tenants: TenantStore;
  /** ws://host:port of the tenant socket server. */
  readonly origin: { secure: false; host: string };
  caller(keyId: 'acme-1' | 'globex-1'): Caller;
  close(): Promise<void>;
}

export interface NotificationRigOptions {
  readonly simulator?: SimulatorOptions;
  /** Settings beyond the simulator's address, e.g. NOTIFICATION_CHANNELS_PER_KEY. */
  readonly env?: Readonly<Record<string, string>>;
  readonly limits?: NotificationOverrides['limits'];
  readonly upstream?: NotificationOverrides['upstream'];
  readonly tenants?: TenantRegistry;
  readonly now?: () => number;
}

export async function startNotificationRig(options: NotificationRigOptions = {}): Promise<NotificationRig> {
  const sim = createSimulator(options.simulator);
  const simulator: RunningSimulator = await sim.listen(0);
  const settings = loadSettings({ GENESYS_API_URL: simulator.url, GENESYS_LOGIN_URL: simulator.url, GENESYS_CLIENT_ID: 'sim-client-id', GENESYS_CLIENT_SECRET: 'sim-client-secret', LOG_LEVEL: 'silent', ...options.env });
  const logger = createLogger('silent');
  const genesys: GenesysConnection = connectToGenesys(settings, { logger });
  const directory = (entries: () => { id: string; division: { id: string }; name: string }[]) =>
    new SnapshotDirectory({
      loadAll: async () => entries().map((e) => ({ id: e.id, divisionId: e.division.id, name: e.name })),
      lookupOne: async (id) => {
        const found = entries().find((e) => e.id === id);
        return found ? { id, divisionId: found.division.id, name: found.name } : undefined;
      },
      refreshIntervalMs: 0,
    });
  const directories = { users: directory(() => sim.org.users), queues: directory(() => sim.org.queues) };
  const tenants = new TenantStore(options.tenants ?? testTenants());
  const metrics = new Metrics();
  const notifications = wireNotifications({
    settings,
    client: genesys.client,
    tenants: () => tenants.current(),
    directories,
    metrics,
    logger,
    clock: options.now ? { now: options.now, sleep: systemClock.sleep } : systemClock,
    overrides: { limits: { revalidateIntervalMs: 50, ...options.limits }, upstream: { reconnectDelayMs: 50, ...options.upstream } },
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  notifications.acceptSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sim,
    notifications,
    metrics,
    tenants,
    origin: { secure: false, host },
    caller(keyId) {
      const lookup = tenants.current().tenantFromKeyId(keyId, Date.now());
      if (!lookup.ok) throw new Error(`no key ${keyId}`);
      return { tenant: lookup.tenant, key: lookup.key, divisions: lookup.tenant.divisions, correlationId: `test-${keyId}` };
    },
    async close() {
      notifications.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      directories.users.close();
      directories.queues.close();
      await genesys.close();
      await simulator.close();
    },
  };
}
