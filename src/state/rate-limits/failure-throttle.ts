import { gcra } from './gcra.js';

export interface FailureThrottleOptions {
  /** Failed credentials one key (a client address, a key id) may present per minute, in a burst or spread. */
  readonly perMinute: number;
  readonly now: () => number;
  /** Keys remembered at most; idle ones are forgotten first. */
  readonly maxKeys?: number;
}

/**
 * Counts failed credentials per key in a GCRA bucket. A key whose bucket is empty is throttled
 * until it refills; successes cost nothing, so a tenant presenting a valid credential is never
 * slowed by anyone's failures (the caller checks the credential before asking).
 */
export class FailureThrottle {
  readonly #tats = new Map<string, number>();
  readonly #options: FailureThrottleOptions;

  constructor(options: FailureThrottleOptions) {
    this.#options = options;
  }

  /** Milliseconds until `key` may fail again, or 0. */
  retryAfterMs(key: string): number {
    const result = gcra(this.#tats.get(key), this.#options.now(), this.#options.perMinute);
    return result.allowed ? 0 : result.retryAfterMs;
  }

  /** Records one failure; answers the wait when the key is now throttled. */
  fail(key: string): number {
    const now = this.#options.now();
    const result = gcra(this.#tats.get(key), now, this.#options.perMinute);
    if (!result.allowed) return result.retryAfterMs;
    this.#tats.delete(key);
    this.#tats.set(key, result.tat);
    this.#evict();
    return 0;
  }

  #evict(): void {
    const max = this.#options.maxKeys ?? 100_000;
    // Map order is insertion order, refreshed on every failure: the first keys are the idlest.
    for (const key of this.#tats.keys()) {
      if (this.#tats.size <= max) break;
      this.#tats.delete(key);
    }
  }
}
