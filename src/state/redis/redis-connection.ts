import type { Logger } from 'pino';
import { createRedisClient, type RedisClient, type RedisTarget } from './redis-client.js';
import { RedisKeys } from './redis-keys.js';

export interface RedisConnectionOptions {
  readonly target: RedisTarget;
  readonly keyPrefix: string;
  /** Per-command deadline: a slow Redis must never hold up a tenant request. */
  readonly commandTimeoutMs: number;
  readonly logger: Logger;
  readonly onStateChange?: (up: boolean) => void;
  /** How often a Cluster's slots in use are checked (a dead primary leaves the client itself ready). */
  readonly probeIntervalMs?: number;
}

/**
 * The one Redis connection of a proxy (one Redis, a Sentinel-managed primary, or a Cluster),
 * configured to fail fast and to reconnect in the background forever, so the proxy resumes sharing
 * state when Redis returns or a replica has been promoted.
 */
export class RedisConnection {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly #options: RedisConnectionOptions;
  #connected = false;
  /** With Cluster: whether every key group's slot answered the last probe. */
  #slotsServed = true;
  #up = false;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: RedisConnectionOptions) {
    this.#options = options;
    this.keys = new RedisKeys(options.keyPrefix);
    this.client = createRedisClient(options.target, options.commandTimeoutMs);
    this.client.on('ready', () => this.#setConnected(true));
    this.client.on('end', () => this.#setConnected(false));
    this.client.on('close', () => this.#setConnected(false));
    // ioredis reports every failed reconnect; the state change is the one line worth logging.
    this.client.on('error', () => undefined);
    this.client.on('node error', () => undefined);
    if (options.target.kind === 'cluster') this.#scheduleProbe();
  }

  get isUp(): boolean {
    return this.#up && this.client.status === 'ready';
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#probe);
    await this.client.quit().catch(() => undefined);
    // QUIT leaves the Sentinel failover detector's own connections open; disconnect closes them too.
    this.client.disconnect();
  }

  #setConnected(connected: boolean): void {
    this.#connected = connected;
    this.#report();
  }

  #report(): void {
    const up = this.#connected && this.#slotsServed;
    if (up === this.#up) return;
    this.#up = up;
    this.#options.onStateChange?.(up);
    if (up) this.#options.logger.info('redis connected: sharing state across replicas');
    else this.#options.logger.warn('redis unreachable: falling back to per-replica state');
  }

  /**
   * A Cluster client stays ready while one primary is dead or the cluster refuses commands until
   * a replica is promoted; only a command on each slot in use tells.
   */
  #scheduleProbe(): void {
    if (this.#closed) return;
    this.#probe = setTimeout(() => {
      const probes = this.keys.groupKeys().map((key) => this.client.exists(key));
      void Promise.all(probes)
        .then(
          () => true,
          () => false,
        )
        .then((served) => {
          this.#slotsServed = served;
          this.#report();
          this.#scheduleProbe();
        });
    }, this.#options.probeIntervalMs ?? 500);
    this.#probe.unref();
  }
}
