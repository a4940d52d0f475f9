import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisConnectionOptions {
  readonly url: string;
  readonly keyPrefix: string;
  /** Per-command deadline: a slow Redis must never hold up a tenant request. */
  readonly commandTimeoutMs: number;
  readonly logger: Logger;
  readonly onStateChange?: (up: boolean) => void;
}

/**
 * The one Redis client of a proxy, configured to fail fast: no offline queue (a command while
 * disconnected fails at once), one attempt per command, a short command timeout, and endless
 * background reconnection so the proxy resumes sharing state when Redis returns.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly keyPrefix: string;
  #up = false;

  constructor(options: RedisConnectionOptions) {
    this.keyPrefix = options.keyPrefix;
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: 2_000,
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000),
      reconnectOnError: (error) => error.message.startsWith('READONLY'),
    });
    let reason = 'no answer yet';
    let everUp = false;
    let toldAtStart = false;
    const setUp = (up: boolean) => {
      if (up === this.#up) return;
      this.#up = up;
      options.onStateChange?.(up);
      if (up) options.logger.info('redis connected: sharing state across replicas');
      else options.logger.warn({ reason }, `redis unreachable (${reason}): falling back to per-replica state`);
    };
    this.client.on('ready', () => {
      everUp = true;
      setUp(true);
    });
    this.client.on('end', () => setUp(false));
    this.client.on('close', () => setUp(false));
    // ioredis reports every failed reconnect: keep the latest reason for the state-change line, and
    // say it once when Redis is unreachable from the start (the state never changed, so no line
    // would say it otherwise).
    this.client.on('error', (error: Error & { code?: string }) => {
      reason = error.code ?? error.message;
      if (everUp || toldAtStart) return;
      toldAtStart = true;
      options.logger.warn(
        { reason, redis: redactedRedisUrl(options.url) },
        `redis unreachable at start (${reason}): serving with per-replica state until it answers; check REDIS_URL`,
      );
    });
  }

  get isUp(): boolean {
    return this.#up && this.client.status === 'ready';
  }

  key(name: string): string {
    return this.keyPrefix + name;
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

function redactedRedisUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '********';
    return url.toString();
  } catch {
    return 'REDIS_URL';
  }
}
