/** One object the directories know: its division, and what listings sort and filter it by. */
export interface DirectoryEntry {
  readonly id: string;
  readonly divisionId: string;
  readonly name: string;
  /** Users only: `active`, `inactive` or `deleted`. */
  readonly state?: string;
}

/**
 * An immutable view of which division every object of one kind is in, as of one load. Scopers
 * read it synchronously, so the same request sees one consistent picture of the org.
 */
export interface DivisionIndex {
  divisionOf(id: string): string | undefined;
  /** The entries in any of the divisions, sorted by name (case-insensitive), then id. */
  entriesIn(divisions: ReadonlySet<string>): readonly DirectoryEntry[];
  /** The ids in any of the divisions, in the same order. */
  idsIn(divisions: ReadonlySet<string>): readonly string[];
}

const MAX_MEMOISED_SCOPES = 256;

export class MemoryDivisionIndex implements DivisionIndex {
  readonly #byId: ReadonlyMap<string, DirectoryEntry>;
  readonly #sorted: readonly DirectoryEntry[];
  // The index never changes, and a tenant asks with the same divisions on every request: walking
  // the whole org each time cost more than the rest of a small listing's scoping put together.
  readonly #memo = new Map<string, { entries: readonly DirectoryEntry[]; ids: readonly string[] }>();

  constructor(entries: Iterable<DirectoryEntry>) {
    const byId = new Map<string, DirectoryEntry>();
    for (const entry of entries) byId.set(entry.id, entry);
    this.#byId = byId;
    this.#sorted = [...byId.values()].sort(byNameThenId);
  }

  divisionOf(id: string): string | undefined {
    return this.#byId.get(id)?.divisionId;
  }

  entriesIn(divisions: ReadonlySet<string>): readonly DirectoryEntry[] {
    return this.#memoised(divisions).entries;
  }

  idsIn(divisions: ReadonlySet<string>): readonly string[] {
    return this.#memoised(divisions).ids;
  }

  #memoised(divisions: ReadonlySet<string>): { entries: readonly DirectoryEntry[]; ids: readonly string[] } {
    const key = [...divisions].sort().join(',');
    let found = this.#memo.get(key);
    if (!found) {
      const entries = this.#sorted.filter((entry) => divisions.has(entry.divisionId));
      found = { entries, ids: entries.map((entry) => entry.id) };
      // Bounded: tenants that narrow to subsets of their divisions could otherwise grow it.
      if (this.#memo.size >= MAX_MEMOISED_SCOPES) this.#memo.clear();
      this.#memo.set(key, found);
    }
    return found;
  }

  /** A copy with one entry added, replaced (`entry`) or removed (`undefined`). */
  with(id: string, entry: DirectoryEntry | undefined): MemoryDivisionIndex {
    const current = this.#byId.get(id);
    if (current === entry) return this;
    if (current && entry && current.divisionId === entry.divisionId && current.name === entry.name && current.state === entry.state) return this;
    const copy = new Map(this.#byId);
    if (entry) copy.set(id, entry);
    else copy.delete(id);
    return new MemoryDivisionIndex(copy.values());
  }
}

function byNameThenId(a: DirectoryEntry, b: DirectoryEntry): number {
  const left = a.name.toLowerCase();
  const right = b.name.toLowerCase();
  if (left !== right) return left < right ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
