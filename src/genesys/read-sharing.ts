import { createHash } from 'node:crypto';
import type { ReadCache } from '../state/read-cache/read-cache.js';
import { isStreamed, type UpstreamAnswer, type UpstreamRequest, type UpstreamResponse } from './upstream-client.js';

export interface ReadSharingOptions {
  /** Absent or a TTL of 0: no cache, only coalescing of reads in flight. */
  readonly cache?: ReadCache;
  readonly ttlMs: number;
  /**
   * Whose answers these are: a tenant's own Genesys client sees only its divisions, so its answers
   * are shared and cached under its client id and never serve anyone else. Absent: the proxy's own client.
   */
  readonly client?: string;
  readonly onResult?: (result: 'coalesced' | 'cache-hit' | 'fetched') => void;
  /**
   * Answers are shared only within one partition. The proxy passes the directories' division
   * assignments: once a queue or user moves, no answer read before the move (cached, or still in
   * flight) is given to a request made after it.
   */
  readonly partition?: () => string;
}

/**
 * Fewer calls to Genesys for the same read: identical reads in flight share one call, and with a
 * TTL set, an identical read within the TTL is answered from the cache. "Identical" means the
 * exact upstream request for the same tenant: a tenant never gets (or times) an answer fetched for
 * another, so a read cannot tell it what another tenant read. Every waiter scopes the answer itself.
 * A streamed answer (too large to hold) is neither shared nor cached: the call that got it keeps
 * it, and the waiters that had joined make calls of their own.
 */
export class ReadSharing {
  readonly #options: ReadSharingOptions;
  readonly #inFlight = new Map<string, { readonly answer: Promise<UpstreamAnswer>; waiters: number }>();

  constructor(options: ReadSharingOptions) {
    this.#options = options;
  }

  /** `fetch` makes the call; a waiter whose leader's answer was streamed makes its own with it. */
  async share<T extends UpstreamAnswer>(request: UpstreamRequest, fetch: () => Promise<T>): Promise<T | UpstreamResponse> {
    const { client, partition } = this.#options;
    const key = readKey(request, client === undefined ? (partition?.() ?? '') : `client:${client}\n${partition?.() ?? ''}`);
    const pending = this.#inFlight.get(key);
    if (pending) {
      pending.waiters += 1;
      this.#options.onResult?.('coalesced');
      const answer = await pending.answer;
      if (!isStreamed(answer)) return { ...answer, calls: 0, shared: true };
      this.#options.onResult?.('fetched');
      return fetch();
    }
    const { cache, ttlMs } = this.#options;
    const useCache = cache !== undefined && ttlMs > 0;
    const answer = (async () => {
      if (useCache) {
        const cached = await cache.get(key).catch(() => undefined);
        if (cached) {
          this.#options.onResult?.('cache-hit');
          return { status: cached.status, headers: { 'content-type': cached.contentType }, body: cached.body, calls: 0 };
        }
      }
      this.#options.onResult?.('fetched');
      const response = await fetch();
      if (isStreamed(response)) return response;
      if (useCache && response.status >= 200 && response.status < 300) {
        const contentType = response.headers['content-type'];
        await cache
          .set(key, { status: response.status, contentType: Array.isArray(contentType) ? contentType[0] : contentType, body: response.body }, ttlMs)
          .catch(() => undefined);
      }
      return response;
    })().finally(() => this.#inFlight.delete(key));
    const entry = { answer, waiters: 1 };
    this.#inFlight.set(key, entry);
    const response = (await answer) as T | UpstreamResponse;
    // Every waiter has joined by now (they join only while the call is in flight).
    return entry.waiters > 1 && !isStreamed(response) ? { ...response, shared: true } : response;
  }
}

/** A fixed-size key for the exact upstream request, the tenant it is for, and the partition. */
export function readKey(request: UpstreamRequest, partition = ''): string {
  return createHash('sha256').update(`${request.tenantId ?? ''}\n${partition}\n${request.method} ${request.pathAndQuery}\n${request.body ?? ''}`).digest('base64url');
}
