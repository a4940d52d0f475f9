/**
 * GCRA (the generic cell rate algorithm): a token bucket kept as one number per key, the
 * "theoretical arrival time". A bucket of `perMinute` holds up to `perMinute` requests and refills
 * continuously. The same arithmetic runs in memory and inside the Redis script.
 */
export interface GcraResult {
  readonly allowed: boolean;
  /** The new theoretical arrival time to store when allowed. */
  readonly tat: number;
  /** Requests left in the bucket after this one (when allowed). */
  readonly remaining: number;
  /** Milliseconds until one more request would be allowed (when refused). */
  readonly retryAfterMs: number;
}

export function gcra(storedTat: number | undefined, now: number, perMinute: number): GcraResult {
  const interval = 60_000 / perMinute;
  const capacity = 60_000; // perMinute requests × interval
  const tat = Math.max(storedTat ?? now, now);
  const next = tat + interval;
  const used = next - now;
  if (used > capacity) return { allowed: false, tat, remaining: 0, retryAfterMs: Math.ceil(used - capacity) };
  return { allowed: true, tat: next, remaining: Math.floor((capacity - used) / interval), retryAfterMs: 0 };
}
