export interface GenesysToken {
  readonly value: string;
  /** Epoch milliseconds. */
  readonly obtainedAt: number;
  readonly expiresAt: number;
}

/**
 * Where the proxy keeps its Genesys token. The memory cache serves one process; a shared cache
 * (Redis) lets every replica use one token, so a cluster spends one login, not one per replica.
 */
export interface TokenCache {
  get(): Promise<GenesysToken | undefined>;
  set(token: GenesysToken): Promise<void>;
  /** Drops the cached token only if it is still `rejected`: a newer token must survive a late 401. */
  invalidate(rejected: string): Promise<void>;
  /**
   * A shared cache lets one replica at a time renew: the others wait for its token. Absent on a
   * cache that only one process uses.
   */
  tryLock?(ttlMs: number): Promise<RenewLock | undefined>;
}

export interface RenewLock {
  release(): Promise<void>;
}

export class MemoryTokenCache implements TokenCache {
  #token: GenesysToken | undefined;

  async get(): Promise<GenesysToken | undefined> {
    return this.#token;
  }

  async set(token: GenesysToken): Promise<void> {
    this.#token = token;
  }

  async invalidate(rejected: string): Promise<void> {
    if (this.#token?.value === rejected) this.#token = undefined;
  }
}
