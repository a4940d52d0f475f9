/** Whether the shared Redis is configured and reachable, and since when, for the console. */
export class RedisStatus {
  readonly configured: boolean;
  readonly #now: () => number;
  #up = false;
  #since: number | undefined;

  constructor(configured: boolean, now: () => number = Date.now) {
    this.configured = configured;
    this.#now = now;
    if (configured) this.#since = now();
  }

  readonly changed = (up: boolean): void => {
    this.#up = up;
    this.#since = this.#now();
  };

  view(): { readonly configured: boolean; readonly up: boolean; readonly since: number | undefined } {
    return { configured: this.configured, up: this.configured && this.#up, since: this.#since };
  }
}
