/**
 * What Genesys says about its own limit on every answer: `inin-ratelimit-allowed` calls per
 * window, `inin-ratelimit-count` used so far, `inin-ratelimit-reset` seconds until the window
 * restarts. The proxy's budget follows it: an org whose limit was raised gets the new figure
 * without a setting, and when Genesys's count reaches its allowance no call goes out until the
 * reset, whatever the proxy's own bucket says.
 */
export interface ObservedLimit {
  readonly allowed: number;
  readonly count: number;
  readonly resetAtMs: number;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): number | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export function readLimitHeaders(headers: Headers, nowMs: number): ObservedLimit | undefined {
  const allowed = header(headers, 'inin-ratelimit-allowed');
  const count = header(headers, 'inin-ratelimit-count');
  const reset = header(headers, 'inin-ratelimit-reset');
  if (allowed === undefined || allowed < 1 || count === undefined || reset === undefined) return undefined;
  return { allowed, count, resetAtMs: nowMs + reset * 1000 };
}

export class GenesysLimitTracker {
  readonly #configuredPerMinute: number;
  #observed: ObservedLimit | undefined;

  constructor(configuredPerMinute: number) {
    this.#configuredPerMinute = configuredPerMinute;
  }

  /**
   * Reads an answer's headers. A 429 is Genesys refusing that one call (its `Retry-After` goes back
   * to the tenant who made it); only the allowance it states is kept, so that the calls of other
   * tenants are not held back by a figure that describes a refusal rather than the window.
   */
  observe(headers: Headers, nowMs: number, status = 200): void {
    const observed = readLimitHeaders(headers, nowMs);
    if (!observed) return;
    this.#observed = status === 429 ? { ...observed, count: Math.min(observed.count, (this.#observed?.count ?? 0)) } : observed;
  }

  /** The budget per minute: what Genesys last said it allows, else the setting. */
  perMinute(): number {
    return this.#observed?.allowed ?? this.#configuredPerMinute;
  }

  /** Milliseconds until Genesys's window resets, when its count has reached what it allows; else 0. */
  blockedForMs(nowMs: number): number {
    const observed = this.#observed;
    if (!observed || observed.count < observed.allowed || nowMs >= observed.resetAtMs) return 0;
    return observed.resetAtMs - nowMs;
  }

  /** Calls Genesys still allows in its current window, when it has said. */
  remaining(nowMs: number): number | undefined {
    const observed = this.#observed;
    if (!observed) return undefined;
    return nowMs >= observed.resetAtMs ? observed.allowed : Math.max(0, observed.allowed - observed.count);
  }
}
