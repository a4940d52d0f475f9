import { Writable } from 'node:stream';
import type { Clock } from '../../src/clock.js';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { createSimulator, type RunningSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { loadTenantsFromDir } from '../../src/tenants/load-tenants.js';
import type { TenantRegistry } from '../../src/tenants/tenant-registry.js';
import { testTenants } from './tenants.js';

export interface Harness {
  readonly sim: Simulator;
  readonly simulator: RunningSimulator;
  readonly gateway: Gateway;
  readonly settings: Settings;
  /** Base URL of the proxy. */
  readonly url: string;
  /** Every log line the proxy wrote, as text. */
  readonly logLines: string[];
  close(): Promise<void>;
}

export interface Replica {
  readonly gateway: Gateway;
  readonly url: string;
  close(): Promise<void>;
}

/** Another proxy process-equivalent against the same simulator (for replica tests). */
export async function startReplica(h: Harness, env: Record<string, string> = {}, tenants?: TenantRegistry): Promise<Replica> {
  const settings = loadSettings({
    GENESYS_API_URL: h.simulator.url,
    GENESYS_LOGIN_URL: h.simulator.url,
    GENESYS_CLIENT_ID: h.settings.genesys.clientId,
    GENESYS_CLIENT_SECRET: h.settings.genesys.clientSecret,
    LOG_LEVEL: 'silent',
    UPSTREAM_TIMEOUT_MS: '3000',
    ...env,
  });
  const gateway = createGateway({ settings, tenants: tenants ?? testTenants(), logger: createLogger('silent') });
  const running = await gateway.listen(0, '127.0.0.1');
  return {
    gateway,
    url: running.url,
    async close() {
      await running.close();
      await gateway.close();
    },
  };
}

export interface HarnessOptions {
  readonly simulator?: SimulatorOptions;
  readonly env?: Record<string, string>;
  readonly tenants?: TenantRegistry;
  /** The proxy's clock; tests advance it instead of sleeping. */
  readonly clock?: Clock;
  /** Load tenants from this folder and watch it, as the real process does. */
  readonly tenantsDir?: string;
  /** Tenants whose answers the proxy does not scope by division (the test-only switch of the wiring). */
  readonly unscopedTenants?: ReadonlySet<string>;
  readonly notifications?: GatewayOptions['notifications'];
  /** A server of the test's own between the proxy and the simulator's API: given the simulator's URL, answers the URL the proxy calls. */
  readonly upstream?: (simulatorUrl: string) => string;
}

/** Starts the simulator and the real proxy on loopback ports, wired as in production. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = createSimulator(options.simulator);
  const simulator = await sim.listen(0);
  const settings = loadSettings({
    GENESYS_API_URL: options.upstream ? options.upstream(simulator.url) : simulator.url,
    GENESYS_LOGIN_URL: simulator.url,
    GENESYS_CLIENT_ID: options.simulator?.clientId ?? 'sim-client-id',
    GENESYS_CLIENT_SECRET: options.simulator?.clientSecret ?? 'sim-client-secret',
    LOG_LEVEL: 'debug',
    UPSTREAM_TIMEOUT_MS: '3000',
    TENANTS_RELOAD_INTERVAL_MS: '300',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...(options.tenantsDir ? { TENANTS_DIR: options.tenantsDir } : {}),
    ...options.env,
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const tenants = options.tenantsDir ? await loadTenantsFromDir(options.tenantsDir) : options.tenants ?? testTenants();
  const gateway = createGateway({
    settings,
    tenants,
    logger: createLogger('debug', sink),
    watchTenants: options.tenantsDir !== undefined,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.unscopedTenants ? { unscopedTenantsForTests: options.unscopedTenants } : {}),
    ...(options.notifications ? { notifications: options.notifications } : {}),
  });
  const running = await gateway.listen(0, '127.0.0.1');
  return {
    sim,
    simulator,
    gateway,
    settings,
    url: running.url,
    logLines,
    async close() {
      await running.close();
      await gateway.close();
      await simulator.close();
    },
  };
}
