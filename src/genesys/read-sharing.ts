import { createHash } from 'node:crypto';
import type { ReadCache } from './read-cache.js';
import type { UpstreamRequest, UpstreamResponse } from './upstream-client.js';

export interface ReadSharingOptions {
  /** Absent or a TTL of 0: no cache, only coalescing of reads in flight. */
  readonly cache?: ReadCache;
  readonly ttlMs: number;
  readonly onResult?: (result: 'coalesced' | 'cache-hit' | 'fetched') => void;
}

/**
 * Fewer calls to Genesys for the same read: identical reads in flight share one call, and with a
 * TTL set, an identical read within the TTL is answered from the cache. "Identical" means the
 * exact upstream request, which already carries each tenant's injected filters; every waiter then
 * scopes the shared answer for its own tenant.
 */
export class ReadSharing {
  readonly #options: ReadSharingOptions;
  readonly #inFlight = new Map<string, Promise<UpstreamResponse>>();

  constructor(options: ReadSharingOptions) {
    this.#options = options;
  }

  async share(request: UpstreamRequest, fetch: () => Promise<UpstreamResponse>): Promise<UpstreamResponse> {
    const key = readKey(request);
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#options.onResult?.('coalesced');
      return { ...(await pending), calls: 0 };
    }
    const { cache, ttlMs } = this.#options;
    const useCache = cache !== undefined && ttlMs > 0;
    const started = (async () => {
      if (useCache) {
        const cached = await cache.get(key).catch(() => undefined);
        if (cached) {
          this.#options.onResult?.('cache-hit');
          return { status: cached.status, headers: { 'content-type': cached.contentType }, body: cached.body, calls: 0 };
        }
      }
      this.#options.onResult?.('fetched');
      const response = await fetch();
      if (useCache && response.status >= 200 && response.status < 300) {
        const contentType = response.headers['content-type'];
        await cache
          .set(key, { status: response.status, contentType: Array.isArray(contentType) ? contentType[0] : contentType, body: response.body }, ttlMs)
          .catch(() => undefined);
      }
      return response;
    })().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }
}

/** A fixed-size key for the exact upstream request. */
export function readKey(request: UpstreamRequest): string {
  return createHash('sha256').update(`${request.method} ${request.pathAndQuery}\n${request.body ?? ''}`).digest('base64url');
}
