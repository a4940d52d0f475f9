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
  /** Why Redis last failed, for the log line that says it is unreachable. */
  #reason = 'no answer yet';
  #everUp = false;
  #toldAtStart = false;

  constructor(options: RedisConnectionOptions) {
    this.#options = options;
    this.keys = new RedisKeys(options.keyPrefix);
    this.client = createRedisClient(options.target, options.commandTimeoutMs);
    this.client.on('ready', () => {
      this.#everUp = true;
      this.#setConnected(true);
    });
    this.client.on('end', () => this.#setConnected(false));
    this.client.on('close', () => this.#setConnected(false));
    // ioredis reports every failed reconnect: keep the latest reason for the state-change line, and
    // say it once when Redis is unreachable from the start (the state never changed, so no line
    // would say it otherwise).
    this.client.on('error', (error: Error & { code?: string }) => this.#failed(error));
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
    else this.#options.logger.warn({ reason: this.#reason }, `redis unreachable (${this.#reason}): falling back to per-replica state`);
  }

  #failed(error: Error & { code?: string }): void {
    this.#reason = error.code ?? error.message;
    if (this.#everUp || this.#toldAtStart || this.#closed) return;
    this.#toldAtStart = true;
    this.#options.logger.warn(
      { reason: this.#reason, redis: this.#options.target.kind },
      `redis unreachable at start (${this.#reason}): serving with per-replica state until it answers; check the REDIS_* settings`,
    );
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
