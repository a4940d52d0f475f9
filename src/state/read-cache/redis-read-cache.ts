import type { CachedAnswer, ReadCache } from './read-cache.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * The read cache every replica shares, so that tenants polling the same data through different
 * replicas cost Genesys one call per TTL. With Redis down, each replica caches on its own.
 */
export class RedisReadCache implements ReadCache {
  readonly #redis: RedisConnection;
  readonly #local: ReadCache;

  constructor(redis: RedisConnection, local: ReadCache) {
    this.#redis = redis;
    this.#local = local;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    if (!this.#redis.isUp) return this.#local.get(key);
    try {
      const raw = await this.#redis.client.getBuffer(this.#key(key));
      if (!raw) return undefined;
      // status (2 bytes), content-type length (2 bytes), content type, body: no JSON or base64 of the body
      const status = raw.readUInt16BE(0);
      const typeLength = raw.readUInt16BE(2);
      const contentType = typeLength > 0 ? raw.subarray(4, 4 + typeLength).toString('utf8') : undefined;
      return { status, contentType, body: raw.subarray(4 + typeLength) };
    } catch {
      return this.#local.get(key);
    }
  }

  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    if (!this.#redis.isUp) return this.#local.set(key, answer, ttlMs);
    const type = Buffer.from(answer.contentType ?? '', 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt16BE(answer.status, 0);
    header.writeUInt16BE(type.length, 2);
    await this.#redis.client.set(this.#key(key), Buffer.concat([header, type, answer.body]), 'PX', ttlMs).catch(() => this.#local.set(key, answer, ttlMs));
  }

  #key(key: string): string {
    return this.#redis.key(`read:${key}`);
  }
}
