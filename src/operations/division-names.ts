import { loadAllPages } from '../genesys/directory-loading.js';
import type { GenesysSender } from '../genesys/upstream-client.js';
import { isRecord } from '../scoping/scope.js';

export interface DivisionNamesOptions {
  readonly client: GenesysSender;
  /** Names change rarely and each load is a Genesys call: loaded at most this often. */
  readonly maxAgeMs?: number;
  /** How long the console waits for a load before showing ids alone (the load goes on). */
  readonly waitMs?: number;
  readonly now?: () => number;
}

/**
 * The org's division names, for the console (tenant files hold only ids). Loaded when the console
 * asks, not on a timer, so a proxy nobody looks at spends nothing on it.
 */
export class DivisionNames {
  readonly #options: DivisionNamesOptions;
  readonly #now: () => number;
  #names: ReadonlyMap<string, string> = new Map();
  #loadedAt: number | undefined;
  #loading: Promise<void> | undefined;

  constructor(options: DivisionNamesOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The names as last loaded (empty when Genesys could not be asked); reloads when stale. */
  async current(): Promise<ReadonlyMap<string, string>> {
    const stale = this.#loadedAt === undefined || this.#now() - this.#loadedAt >= (this.#options.maxAgeMs ?? 300_000);
    if (stale) {
      this.#loading ??= this.#load().finally(() => {
        this.#loading = undefined;
      });
      let timer: NodeJS.Timeout | undefined;
      const patience = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.waitMs ?? 2_000);
      });
      await Promise.race([this.#loading, patience]);
      clearTimeout(timer);
    }
    return this.#names;
  }

  async #load(): Promise<void> {
    // A failure is retried at the next staleness check, not at every refresh of the page.
    this.#loadedAt = this.#now();
    try {
      const entries = await loadAllPages(
        this.#options.client,
        (page) => `/api/v2/authorization/divisions?pageSize=100&pageNumber=${page}`,
        `operations-divisions-${this.#loadedAt}`,
        (entity) => (isRecord(entity) && typeof entity['id'] === 'string' && typeof entity['name'] === 'string' ? { id: entity['id'], divisionId: entity['id'], name: entity['name'] } : undefined),
      );
      this.#names = new Map(entries.map((entry) => [entry.id, entry.name]));
    } catch {
      this.#loadedAt = this.#now() - (this.#options.maxAgeMs ?? 300_000) + 30_000;
    }
  }
}
