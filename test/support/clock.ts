import type { Clock } from '../../src/clock.js';

/**
 * Real time plus an offset the test moves: `advance(ms)` makes every expiry and wait that reads
 * this clock see `ms` more, at once, so tests never sleep to let time pass.
 */
export class TestClock implements Clock {
  #offset = 0;
  readonly #sleepers = new Set<{ until: number; wake: () => void }>();

  now = (): number => Date.now() + this.#offset;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const sleeper = {
        until: this.now() + ms,
        wake: () => {
          clearTimeout(timer);
          this.#sleepers.delete(sleeper);
          resolve();
        },
      };
      const timer = setTimeout(sleeper.wake, ms);
      this.#sleepers.add(sleeper);
    });

  advance(ms: number): void {
    this.#offset += ms;
    const now = this.now();
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= now) sleeper.wake();
  }
}
