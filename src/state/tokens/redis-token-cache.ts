import type { GenesysToken, RenewLock, TokenCache } from './token-cache.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { tryRedisLock } from '../redis/redis-lock.js';
/** Drops the shared token only if it is still the one Genesys rejected. */
const INVALIDATE_IF_VALUE = `local t = redis.call('GET', KEYS[1]) if t and cjson.decode(t).value == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * The Genesys token shared by every replica: one key with a TTL just under the token's life,
 * and a renewal lock (`SET NX PX`, released by compare-and-delete) so that one replica logs in
 * while the others wait for its token.
 */
export class RedisTokenCache implements TokenCache {
  readonly #redis: RedisConnection;
  readonly #tokenKey: string;
  readonly #lockKey: string;

  constructor(redis: RedisConnection, clientId: string) {
    this.#redis = redis;
    // Keyed by client id: two proxies with different Genesys clients may share a Redis.
    this.#tokenKey = redis.key(`genesys-token:${clientId}`);
    this.#lockKey = redis.key(`genesys-token-lock:${clientId}`);
  }

  async get(): Promise<GenesysToken | undefined> {
    const raw = await this.#redis.client.get(this.#tokenKey);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<GenesysToken>;
    if (typeof parsed.value !== 'string' || typeof parsed.expiresAt !== 'number' || typeof parsed.obtainedAt !== 'number') return undefined;
    return { value: parsed.value, expiresAt: parsed.expiresAt, obtainedAt: parsed.obtainedAt };
  }

  async set(token: GenesysToken): Promise<void> {
    // A little under the token's life, so Redis never serves a token Genesys has already expired.
    const ttl = Math.max(1_000, token.expiresAt - Date.now() - 10_000);
    await this.#redis.client.set(this.#tokenKey, JSON.stringify(token), 'PX', ttl);
  }

  async invalidate(rejected: string): Promise<void> {
    await this.#redis.client.eval(INVALIDATE_IF_VALUE, 1, this.#tokenKey, rejected);
  }

  tryLock(ttlMs: number): Promise<RenewLock | undefined> {
    return tryRedisLock(this.#redis, this.#lockKey, ttlMs);
  }
}
