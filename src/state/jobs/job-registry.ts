/**
 * Which tenant created which analytics job. Genesys's job ids are readable by anyone holding the
 * proxy's token, so the proxy remembers the creator and answers 404 to everyone else.
 */
export interface JobRegistry {
  bind(jobId: string, tenantId: string): Promise<void>;
  /** The tenant that created the job, or undefined for an unknown or expired job. */
  ownerOf(jobId: string): Promise<string | undefined>;
}

export interface MemoryJobRegistryOptions {
  /** Genesys keeps job results for a limited time; a binding outlives that comfortably. */
  readonly ttlMs?: number;
  readonly maxJobs?: number;
  readonly now?: () => number;
}

/** One process's registry; bounded, the oldest bindings go first. */
export class MemoryJobRegistry implements JobRegistry {
  readonly #jobs = new Map<string, { tenantId: string; until: number }>();
  readonly #ttlMs: number;
  readonly #maxJobs: number;
  readonly #now: () => number;

  constructor(options: MemoryJobRegistryOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 7 * 24 * 3_600_000;
    this.#maxJobs = options.maxJobs ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  async bind(jobId: string, tenantId: string): Promise<void> {
    this.#jobs.delete(jobId);
    while (this.#jobs.size >= this.#maxJobs) {
      const oldest = this.#jobs.keys().next().value;
      if (oldest === undefined) break;
      this.#jobs.delete(oldest);
    }
    this.#jobs.set(jobId, { tenantId, until: this.#now() + this.#ttlMs });
  }

  async ownerOf(jobId: string): Promise<string | undefined> {
    const job = this.#jobs.get(jobId);
    if (!job) return undefined;
    if (job.until <= this.#now()) {
      this.#jobs.delete(jobId);
      return undefined;
    }
    return job.tenantId;
  }
}
