import type { Logger } from 'pino';
import type { DirectoryEntry } from '../../scoping/division-index.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { tryRedisLock } from '../redis/redis-lock.js';

export interface SharedSnapshotOptions {
  readonly redis: RedisConnection;
  /** `queues` or `users`: names the Redis keys. */
  readonly name: string;
  /** A snapshot younger than this is used as it is; an older one is reloaded by one replica. */
  readonly freshForMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface Snapshot {
  readonly loadedAt: number;
  readonly entries: DirectoryEntry[];
}

/** How long a replica may hold the load lock, and how long the others wait for its snapshot. */
const LOAD_LOCK_MS = 30_000;
const POLL_MS = 100;

/**
 * Wraps a directory's whole-org load so that replicas share one snapshot in Redis: the first
 * replica to find it stale loads the org from Genesys under a lock and stores it; the others read
 * it. Without Redis (down, slow, or not configured) each replica loads on its own, as before.
 */
export function sharedSnapshotLoader(
  load: (correlationId: string) => Promise<DirectoryEntry[]>,
  options: SharedSnapshotOptions,
): (correlationId: string) => Promise<DirectoryEntry[]> {
  const { redis, name, freshForMs, logger } = options;
  const now = options.now ?? Date.now;
  const snapshotKey = redis.key(`directory:${name}`);
  const lockKey = redis.key(`directory:${name}:lock`);

  const read = async (): Promise<Snapshot | undefined> => {
    const raw = await redis.client.get(snapshotKey);
    return raw ? (JSON.parse(raw) as Snapshot) : undefined;
  };

  const loadAndStore = async (correlationId: string): Promise<DirectoryEntry[]> => {
    const entries = await load(correlationId);
    const snapshot: Snapshot = { loadedAt: now(), entries };
    // Kept well past its freshness so a replica can fall back to it while another reloads.
    await redis.client.set(snapshotKey, JSON.stringify(snapshot), 'PX', freshForMs * 10).catch((error: unknown) => {
      logger.warn({ err: error, directory: name }, 'could not share the directory snapshot in Redis');
    });
    return entries;
  };

  return async function loadShared(correlationId) {
    if (!redis.isUp) return load(correlationId);
    let current: Snapshot | undefined;
    let lock;
    try {
      current = await read();
      if (current && now() - current.loadedAt < freshForMs) return current.entries;
      lock = await tryRedisLock(redis, lockKey, LOAD_LOCK_MS);
    } catch {
      return load(correlationId); // Redis failed mid-way: this replica loads on its own
    }
    if (lock) {
      try {
        return await loadAndStore(correlationId);
      } finally {
        await lock.release();
      }
    }
    const deadline = now() + LOAD_LOCK_MS;
    while (now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const next = await read().catch(() => undefined);
      if (next && next.loadedAt > (current?.loadedAt ?? 0)) return next.entries;
    }
    return load(correlationId);
  };
}
