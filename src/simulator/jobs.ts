import { randomUUID } from 'node:crypto';
import type { AnalyticsConversation } from './model.js';

export type JobState = 'PENDING' | 'FULFILLED';

interface Job {
  readonly id: string;
  readonly submitted: number;
  readonly conversations: readonly AnalyticsConversation[];
  pendingPolls: number;
  completed?: number;
}

const DAY_MS = 86_400_000;

/**
 * Async conversation-details jobs. A job's result set is fixed when it is submitted; it answers
 * PENDING to a configurable number of status polls before it is FULFILLED.
 */
export class JobStore {
  readonly #jobs = new Map<string, Job>();
  readonly #pollsUntilFulfilled: number;

  constructor(pollsUntilFulfilled: number) {
    this.#pollsUntilFulfilled = pollsUntilFulfilled;
  }

  submit(conversations: readonly AnalyticsConversation[]): string {
    const id = randomUUID();
    const now = Date.now();
    const job: Job = { id, submitted: now, conversations, pendingPolls: this.#pollsUntilFulfilled };
    if (job.pendingPolls === 0) job.completed = now;
    this.#jobs.set(id, job);
    return id;
  }

  /** Answers one status poll, or undefined for an unknown job. */
  poll(id: string): Record<string, string> | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    if (job.pendingPolls > 0) job.pendingPolls -= 1;
    else job.completed ??= Date.now();
    const status: Record<string, string> = {
      state: job.completed === undefined ? 'PENDING' : 'FULFILLED',
      submissionDate: new Date(job.submitted).toISOString(),
      expirationDate: new Date(job.submitted + DAY_MS).toISOString(),
    };
    if (job.completed !== undefined) status['completionDate'] = new Date(job.completed).toISOString();
    return status;
  }

  /** The job's conversations once it is fulfilled; 'pending' before that. */
  results(id: string): readonly AnalyticsConversation[] | 'pending' | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    return job.completed === undefined ? 'pending' : job.conversations;
  }

  delete(id: string): boolean {
    return this.#jobs.delete(id);
  }
}
