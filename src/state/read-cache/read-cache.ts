/** A Genesys answer as the read cache keeps it: what scoping needs, nothing more. */
export interface CachedAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/**
 * Short-lived Genesys answers to reads, keyed by the exact upstream request (method, path, query
 * the proxy built, body). Each tenant's answer is still scoped on the way out, so a cached answer
 * can serve any tenant whose upstream request is byte-identical.
 */
export interface ReadCache {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
}

/** One process's read cache: bounded by entries and bytes, oldest first out. */
export class MemoryReadCache implements ReadCache {
  readonly #entries = new Map<string, { answer: CachedAnswer; until: number }>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: { maxEntries?: number; maxBytes?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 1_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.#now()) {
      this.#drop(key);
      return undefined;
    }
    return entry.answer;
  }

  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    if (answer.body.length > this.#maxBytes / 4) return; // one huge answer must not flush the rest
    this.#drop(key);
    this.#entries.set(key, { answer, until: this.#now() + ttlMs });
    this.#bytes += answer.body.length;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= entry.answer.body.length;
    this.#entries.delete(key);
  }
}
