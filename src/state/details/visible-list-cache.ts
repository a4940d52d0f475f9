import type { VisibleLists } from '../../scoping/filters/details-scan.js';

/**
 * The tenant's visible conversations for one query, kept a short time so that paging through them
 * costs one scan. Keyed by tenant, divisions and query (without paging); bounded by the number of
 * conversations held, the oldest lists going first. The clock is passed in.
 */
export class VisibleListCache implements VisibleLists {
  readonly #lists = new Map<string, { until: number; conversations: readonly unknown[] }>();
  #held = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxConversations: number,
    readonly now: () => number,
  ) {}

  get(key: string): readonly unknown[] | undefined {
    const entry = this.#lists.get(key);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.conversations;
    this.#drop(key);
    return undefined;
  }

  set(key: string, conversations: readonly unknown[]): void {
    if (this.ttlMs <= 0 || conversations.length > this.maxConversations) return;
    this.#drop(key);
    while (this.#held + conversations.length > this.maxConversations) {
      const oldest = this.#lists.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    this.#lists.set(key, { until: this.now() + this.ttlMs, conversations });
    this.#held += conversations.length;
  }

  #drop(key: string): void {
    const entry = this.#lists.get(key);
    if (!entry) return;
    this.#held -= entry.conversations.length;
    this.#lists.delete(key);
  }
}
