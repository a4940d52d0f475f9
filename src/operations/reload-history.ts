import path from 'node:path';
import type { ReloadOutcome } from '../tenants/tenant-reloader.js';

export interface ReloadEvent {
  readonly at: number;
  readonly ok: boolean;
  /** Tenants served after the reload (successful reloads only). */
  readonly tenants?: number;
  readonly changed?: boolean;
  /** Failed reloads: which file and field, and what is wrong with it. */
  readonly problems?: readonly { readonly file: string; readonly field: string; readonly message: string }[];
}

/** A run of letters and digits this long could be a key or a key hash quoted by a parser: never shown. */
const SECRET_LIKE = /[A-Za-z0-9+/=_-]{24,}/g;

/** The last reloads of the tenant files, newest first, as safe to show an operator. */
export class ReloadHistory {
  readonly #events: ReloadEvent[] = [];
  readonly #kept: number;
  readonly #now: () => number;

  constructor(options: { kept?: number; now?: () => number } = {}) {
    this.#kept = options.kept ?? 20;
    this.#now = options.now ?? Date.now;
  }

  readonly record = (outcome: ReloadOutcome): void => {
    const at = this.#now();
    const event: ReloadEvent = outcome.ok
      ? { at, ok: true, tenants: outcome.tenants, changed: outcome.changed }
      : {
          at,
          ok: false,
          problems: outcome.problems.slice(0, 10).map((problem) => ({
            file: path.basename(problem.file),
            field: problem.field,
            message: problem.message.replace(SECRET_LIKE, '…').slice(0, 200),
          })),
        };
    this.#events.unshift(event);
    this.#events.length = Math.min(this.#events.length, this.#kept);
  };

  list(): readonly ReloadEvent[] {
    return [...this.#events];
  }
}
