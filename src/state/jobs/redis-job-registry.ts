import type { JobRegistry } from './job-registry.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * Job bindings every replica can read, so a tenant may create a job on one replica and poll it on
 * another. Each binding is also kept in this process; with Redis down, the replica that created
 * the job still answers for it and the others answer 404 (closed, not open).
 */
export class RedisJobRegistry implements JobRegistry {
  readonly #redis: RedisConnection;
  readonly #local: JobRegistry;
  readonly #ttlMs: number;

  constructor(redis: RedisConnection, local: JobRegistry, ttlMs = 7 * 24 * 3_600_000) {
    this.#redis = redis;
    this.#local = local;
    this.#ttlMs = ttlMs;
  }

  async bind(jobId: string, tenantId: string): Promise<void> {
    await this.#local.bind(jobId, tenantId);
    if (!this.#redis.isUp) return;
    await this.#redis.client.set(this.#key(jobId), tenantId, 'PX', this.#ttlMs).catch(() => undefined);
  }

  async ownerOf(jobId: string): Promise<string | undefined> {
    const local = await this.#local.ownerOf(jobId);
    if (local !== undefined || !this.#redis.isUp) return local;
    return (await this.#redis.client.get(this.#key(jobId)).catch(() => null)) ?? undefined;
  }

  #key(jobId: string): string {
    return this.#redis.key(`job:${jobId}`);
  }
}
