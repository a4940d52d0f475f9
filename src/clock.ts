/**
 * Time as the proxy reads it. Passed from the composition root to everything that waits or
 * expires, so that tests move time forward instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
