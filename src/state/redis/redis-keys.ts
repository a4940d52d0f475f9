/**
 * Names of the keys the proxy writes, all under REDIS_KEY_PREFIX.
 *
 * Redis Cluster refuses (CROSSSLOT) a script or transaction whose keys sit in different hash
 * slots, and it hashes only the part of a key between the first `{` and the next `}` when there
 * is one. So keys that are used together -- the buckets of the rate-limit script, a lock and the
 * value it guards -- are named `<prefix>{<group>}:<name>` and land in the group's one slot. Keys
 * always used alone (a job binding, a cached read) are spread over the slots by their whole name.
 * The same names are used with one Redis, with Sentinel and with Cluster.
 */
export class RedisKeys {
  readonly #prefix: string;
  readonly #groups = new Set<string>();

  constructor(prefix: string) {
    // An empty tag `{}` makes Redis hash the whole key, which would split every group.
    if (prefix.includes('{}')) throw new Error('REDIS_KEY_PREFIX must not contain an empty hash tag {}');
    this.#prefix = prefix;
  }

  /** A key never used in one command with another. */
  single(name: string): string {
    return this.#prefix + name;
  }

  /** A key of `group`: every key of one group is in one hash slot, whatever the names. */
  inGroup(group: string, name: string): string {
    if (!/^[a-z0-9:-]+$/.test(group)) throw new Error(`not a key group name: ${group}`);
    this.#groups.add(group);
    return `${this.#prefix}{${group}}:${name}`;
  }

  /** The groups named so far, each by one of its keys (a health probe touches each group's slot). */
  groupKeys(): string[] {
    return [...this.#groups].map((group) => `${this.#prefix}{${group}}`);
  }
}
