import { randomUUID } from 'node:crypto';
import { MemoryDivisionIndex, type DirectoryEntry, type DivisionIndex } from '../scoping/division-index.js';

/**
 * Which division every object of one kind (queues, users) is in, for the whole org. Behind an
 * interface so that replicas can later share one copy.
 */
export interface OrgDirectory {
  /** The current index, loaded first when there is none yet or it is older than its TTL. */
  index(correlationId: string): Promise<DivisionIndex>;
  /**
   * One object's division, undefined when it does not exist. An id the index does not know is
   * answered as unknown at once, exactly like another division's id (same path, same time), and
   * looked up in the background so that an object created since the last load is known from the
   * next request on. `fresh` always asks Genesys, whoever's the id is.
   */
  divisionOf(id: string, correlationId: string, options?: { readonly fresh?: boolean }): Promise<string | undefined>;
  /** A write through the proxy put the object in `entry.divisionId`, or deleted it (`undefined`). */
  record(id: string, entry: DirectoryEntry | undefined): void;
  /** Reloads now (after any load already under way), as the background refresh does. */
  refresh(): Promise<void>;
  /** How fresh the index is, for the operations console. */
  status(): DirectoryStatus;
  /**
   * A digest of which division every known object is in: it changes whenever an object moves,
   * appears or goes, and is the same on every replica holding the same picture of the org.
   */
  assignments(): string;
  close(): void;
}

export interface DirectoryStatus {
  /** Epoch milliseconds of the last completed load; undefined before the first. */
  readonly loadedAt: number | undefined;
  readonly entries: number;
  readonly lastFailure: { readonly at: number; readonly reason: string } | undefined;
}

/** An object a reload found in another division than the index had it in. */
export interface DivisionMove {
  readonly id: string;
  readonly name: string;
  readonly fromDivisionId: string;
  readonly toDivisionId: string;
}

/** What one completed load found. */
export interface DirectoryLoad {
  readonly at: number;
  readonly entries: number;
  /** Empty on the first load: there is nothing to compare with. */
  readonly moves: readonly DivisionMove[];
}

export interface SnapshotDirectoryOptions {
  /** Every object of the kind, all pages. */
  readonly loadAll: (correlationId: string) => Promise<DirectoryEntry[]>;
  /** One object, or undefined when Genesys says it does not exist. */
  readonly lookupOne: (id: string, correlationId: string) => Promise<DirectoryEntry | undefined>;
  /** Past this age a request waits for a reload instead of trusting the index. */
  readonly ttlMs?: number;
  /** Background reload period once loaded; well under the TTL so that requests never wait. 0: none. */
  readonly refreshIntervalMs?: number;
  /** How long "does not exist" is believed, so a stream of unknown ids does not become a stream of lookups. */
  readonly missingTtlMs?: number;
  /** Bound on ids remembered outside the index (single lookups, misses, writes). */
  readonly maxRemembered?: number;
  /** Background lookups of unknown ids under way at most; more unknown ids wait for the next load. */
  readonly maxBackgroundLookups?: number;
  readonly now?: () => number;
  /** Told whether each id lookup was answered without Genesys, for metrics. */
  readonly onLookup?: (result: 'hit' | 'miss') => void;
  /** A background reload failed; the old index stays until its TTL. */
  readonly onRefreshFailure?: (error: unknown) => void;
  /** Told after every completed load, with the objects that changed division since the index before it. */
  readonly onLoad?: (load: DirectoryLoad) => void;
}

/**
 * An index loaded in one go and reloaded in the background, so that in steady state a tenant
 * request costs no directory call at all. A reload replaces the whole index, which is how a
 * queue moved to another division in Genesys's admin UI is noticed. Changes learned between
 * loads (writes through the proxy, single lookups) are laid over the index, and over any load
 * that began before them.
 */
export class SnapshotDirectory implements OrgDirectory {
  readonly #options: SnapshotDirectoryOptions;
  readonly #ttlMs: number;
  readonly #missingTtlMs: number;
  readonly #maxRemembered: number;
  readonly #now: () => number;
  #index: MemoryDivisionIndex | undefined;
  #loadedAt = 0;
  #lastFailure: DirectoryStatus['lastFailure'];
  #assignments = 0;
  #size = 0;
  #loading: Promise<MemoryDivisionIndex> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #changes = new Map<string, { entry: DirectoryEntry | undefined; at: number }>();
  readonly #missing = new Map<string, number>();
  readonly #lookups = new Map<string, Promise<DirectoryEntry | undefined>>();

  constructor(options: SnapshotDirectoryOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 300_000;
    this.#missingTtlMs = options.missingTtlMs ?? 5_000;
    this.#maxRemembered = options.maxRemembered ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async index(correlationId: string): Promise<DivisionIndex> {
    if (this.#index && this.#now() - this.#loadedAt < this.#ttlMs) return this.#index;
    return this.#reload(correlationId);
  }

  async divisionOf(id: string, correlationId: string, options: { readonly fresh?: boolean } = {}): Promise<string | undefined> {
    if (options.fresh) return (await this.#lookup(id, correlationId))?.divisionId;
    const index = await this.index(correlationId);
    const known = index.divisionOf(id);
    const missingUntil = this.#missing.get(id);
    if (known !== undefined || (missingUntil !== undefined && missingUntil > this.#now())) {
      this.#options.onLookup?.('hit');
      return known;
    }
    this.#options.onLookup?.('miss');
    this.#lookUpLater(id);
    return undefined;
  }

  record(id: string, entry: DirectoryEntry | undefined): void {
    this.#changes.delete(id);
    this.#changes.set(id, { entry, at: this.#now() });
    trim(this.#changes, this.#maxRemembered);
    if (entry) {
      this.#missing.delete(id);
    } else {
      this.#missing.set(id, this.#now() + this.#missingTtlMs);
      trim(this.#missing, this.#maxRemembered);
    }
    if (this.#index) {
      const before = this.#index.divisionOf(id);
      this.#assignments ^= assignmentHash(id, before) ^ assignmentHash(id, entry?.divisionId);
      this.#size += (entry ? 1 : 0) - (before !== undefined ? 1 : 0);
      this.#index = this.#index.with(id, entry);
    }
  }

  status(): DirectoryStatus {
    return { loadedAt: this.#index ? this.#loadedAt : undefined, entries: this.#index ? this.#size : 0, lastFailure: this.#lastFailure };
  }

  assignments(): string {
    return (this.#assignments >>> 0).toString(36);
  }

  async refresh(): Promise<void> {
    await this.#loading?.catch(() => undefined);
    await this.#reload(refreshCorrelationId());
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #reload(correlationId: string): Promise<MemoryDivisionIndex> {
    this.#loading ??= this.#load(correlationId).finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #load(correlationId: string): Promise<MemoryDivisionIndex> {
    const startedAt = this.#now();
    let entries: DirectoryEntry[];
    try {
      entries = await this.#options.loadAll(correlationId);
    } catch (error) {
      this.#lastFailure = { at: this.#now(), reason: error instanceof Error ? error.message : 'load failed' };
      throw error;
    }
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    for (const [id, change] of this.#changes) {
      if (change.at < startedAt) {
        this.#changes.delete(id);
      } else if (change.entry) {
        byId.set(id, change.entry);
      } else {
        byId.delete(id);
      }
    }
    const previous = this.#index;
    const index = new MemoryDivisionIndex(byId.values());
    this.#index = index;
    this.#loadedAt = this.#now();
    this.#lastFailure = undefined;
    this.#assignments = 0;
    this.#size = byId.size;
    const moves: DivisionMove[] = [];
    for (const entry of byId.values()) {
      this.#assignments ^= assignmentHash(entry.id, entry.divisionId);
      const before = previous?.divisionOf(entry.id);
      if (before !== undefined && before !== entry.divisionId) {
        moves.push({ id: entry.id, name: entry.name, fromDivisionId: before, toDivisionId: entry.divisionId });
      }
    }
    this.#missing.clear();
    this.#startRefreshing();
    this.#options.onLoad?.({ at: this.#loadedAt, entries: byId.size, moves });
    return index;
  }

  #startRefreshing(): void {
    const interval = this.#options.refreshIntervalMs ?? 60_000;
    if (this.#timer || this.#closed || interval <= 0) return;
    this.#timer = setInterval(() => {
      this.#reload(refreshCorrelationId()).catch((error: unknown) => this.#options.onRefreshFailure?.(error));
    }, interval);
    this.#timer.unref();
  }

  #lookUpLater(id: string): void {
    if (this.#closed || this.#lookups.has(id) || this.#lookups.size >= (this.#options.maxBackgroundLookups ?? 8)) return;
    // Until it answers, the id counts as missing: a stream of unknown ids is not a stream of lookups.
    this.#missing.set(id, this.#now() + this.#missingTtlMs);
    trim(this.#missing, this.#maxRemembered);
    this.#lookup(id, lookupCorrelationId()).catch((error: unknown) => this.#options.onRefreshFailure?.(error));
  }

  #lookup(id: string, correlationId: string): Promise<DirectoryEntry | undefined> {
    let pending = this.#lookups.get(id);
    if (!pending) {
      pending = this.#options
        .lookupOne(id, correlationId)
        .then((entry) => {
          this.record(id, entry);
          return entry;
        })
        .finally(() => this.#lookups.delete(id));
      this.#lookups.set(id, pending);
    }
    return pending;
  }
}

/** Background loads carry their own id, so Genesys's logs tell them apart from tenant requests. */
function refreshCorrelationId(): string {
  return `directory-refresh-${randomUUID()}`;
}

function lookupCorrelationId(): string {
  return `directory-lookup-${randomUUID()}`;
}

/** FNV-1a of `id=division`: XOR-ed over all objects, an order-free digest that updates in O(1). */
function assignmentHash(id: string, divisionId: string | undefined): number {
  if (divisionId === undefined) return 0;
  let hash = 0x811c9dc5;
  const text = `${id}=${divisionId}`;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Drops the oldest keys (Maps iterate in insertion order) beyond `max`. */
function trim(map: Map<string, unknown>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}
