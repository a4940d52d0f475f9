import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';

export interface RedisLock {
  release(): Promise<void>;
}

/** Deletes the key only if it still holds our value: a lock that expired and was retaken is not ours to free. */
const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * `SET key <random> NX PX ttl`: one holder at a time, freed by compare-and-delete or by expiry.
 * Correctness never depends on it (a lost lock only means one more load), so one Redis suffices.
 */
export async function tryRedisLock(redis: RedisConnection, key: string, ttlMs: number): Promise<RedisLock | undefined> {
  const owner = randomUUID();
  const acquired = await redis.client.set(key, owner, 'PX', ttlMs, 'NX');
  if (acquired !== 'OK') return undefined;
  return {
    release: async () => {
      await redis.client.eval(COMPARE_AND_DELETE, 1, key, owner).catch(() => undefined);
    },
  };
}
