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
    const setUp = (up: boolean) => {
      if (up === this.#up) return;
      this.#up = up;
      options.onStateChange?.(up);
      if (up) options.logger.info('redis connected: sharing state across replicas');
      else options.logger.warn('redis unreachable: falling back to per-replica state');
    };
    this.client.on('ready', () => setUp(true));
    this.client.on('end', () => setUp(false));
    this.client.on('close', () => setUp(false));
    // ioredis reports every failed reconnect; the state change above is the one line worth logging.
    this.client.on('error', () => undefined);
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
