import type { Logger } from 'pino';
import type { DirectoryLoad } from '../genesys/org-directory.js';
import type { DirectoryName } from '../scoping/route-rule.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';

/** One object that changed division between two loads of a directory, and whose view it changed. */
export interface DriftEvent {
  readonly at: number;
  readonly directory: DirectoryName;
  readonly id: string;
  readonly name: string;
  readonly fromDivisionId: string;
  readonly toDivisionId: string;
  /** Tenants that see the object now and did not before. */
  readonly gainedBy: readonly string[];
  /** Tenants that saw the object and no longer do. */
  readonly lostBy: readonly string[];
}

export interface DriftMonitorOptions {
  readonly tenants: () => TenantRegistry;
  readonly logger: Logger;
  /** Told once per moved object (the metric). */
  readonly onDrift?: (event: DriftEvent) => void;
  readonly kept?: number;
}

/**
 * Notices queues and users that moved between divisions in Genesys (an admin reassigned them), so
 * that operators learn which tenants gained or lost an object without a request of theirs. The
 * shared and cached Genesys answers that predate a move are dropped by the read-sharing partition,
 * which follows the same directories.
 */
export class DriftMonitor {
  readonly #options: DriftMonitorOptions;
  readonly #kept: number;
  readonly #events: DriftEvent[] = [];

  constructor(options: DriftMonitorOptions) {
    this.#options = options;
    this.#kept = options.kept ?? 50;
  }

  /** Hooked to a directory's `onLoad`. */
  loaded(directory: DirectoryName, load: DirectoryLoad): void {
    if (load.moves.length === 0) return;
    const tenants = this.#options.tenants().list();
    const seeing = (divisionId: string) => new Set(tenants.filter((tenant) => tenant.divisions.has(divisionId)).map((tenant) => tenant.id));
    for (const move of load.moves) {
      const before = seeing(move.fromDivisionId);
      const after = seeing(move.toDivisionId);
      const event: DriftEvent = {
        at: load.at,
        directory,
        id: move.id,
        name: move.name,
        fromDivisionId: move.fromDivisionId,
        toDivisionId: move.toDivisionId,
        gainedBy: [...after].filter((id) => !before.has(id)).sort(),
        lostBy: [...before].filter((id) => !after.has(id)).sort(),
      };
      this.#options.logger.warn(
        {
          log: 'drift',
          directory,
          entity: event.id,
          fromDivision: event.fromDivisionId,
          toDivision: event.toDivisionId,
          gainedBy: event.gainedBy,
          lostBy: event.lostBy,
        },
        'an object moved to another division',
      );
      this.#options.onDrift?.(event);
      this.#events.unshift(event);
    }
    this.#events.length = Math.min(this.#events.length, this.#kept);
  }

  /** Newest first. */
  recent(): readonly DriftEvent[] {
    return [...this.#events];
  }
}
