import { GatewayError } from '../../../src/errors.js';
import { MemoryJobRegistry } from '../../../src/state/jobs/job-registry.js';
import { SnapshotDirectory } from '../../../src/genesys/org-directory.js';
import type { DirectoryEntry } from '../../../src/scoping/division-index.js';
import { eventually } from '../../support/wait.js';
import { entry } from '../../support/scoping.js';

/** A fake Genesys: a mutable org, and counters of what the directory asked. */
function fakeOrg(initial: DirectoryEntry[]) {
  const org = new Map(initial.map((e) => [e.id, e]));
  const calls = { loads: 0, lookups: [] as string[] };
  let failLoads = false;
  let loadGate: Promise<void> | undefined;
  return {
    org,
    calls,
    failLoads: (fail: boolean) => {
      failLoads = fail;
    },
    holdLoads: (gate: Promise<void> | undefined) => {
      loadGate = gate;
    },
    loadAll: async () => {
      calls.loads += 1;
      const snapshot = [...org.values()];
      await loadGate;
      if (failLoads) throw new GatewayError('upstream.error');
      return snapshot;
    },
    lookupOne: async (id: string) => {
      calls.lookups.push(id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return org.get(id);
    },
  };
}

describe('SnapshotDirectory', () => {
  let now = 1_000_000;
  const clock = () => now;
  const directories: SnapshotDirectory[] = [];
  const make = (fake: ReturnType<typeof fakeOrg>, options: Partial<ConstructorParameters<typeof SnapshotDirectory>[0]> = {}) => {
    const directory = new SnapshotDirectory({ loadAll: fake.loadAll, lookupOne: fake.lookupOne, now: clock, refreshIntervalMs: 0, ...options });
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0)) directory.close();
  });

  it('loads the whole org once for any number of concurrent askers, then answers from memory', async () => {
    const fake = fakeOrg([entry('q1', 'A'), entry('q2', 'B')]);
    const lookups: string[] = [];
    const directory = make(fake, { onLookup: (result) => lookups.push(result) });
    const answers = await Promise.all([directory.divisionOf('q1', 'c'), directory.divisionOf('q2', 'c'), directory.index('c')]);
    expect(answers.slice(0, 2)).toEqual(['A', 'B']);
    await directory.divisionOf('q1', 'c');
    expect(fake.calls.loads).toBe(1);
    expect(fake.calls.lookups).toEqual([]);
    expect(lookups).toEqual(['hit', 'hit', 'hit']);
  });

  it('answers an unknown id as unknown at once, like a foreign one, and looks it up once in the background', async () => {
    const fake = fakeOrg([entry('q1', 'A')]);
    const directory = make(fake);
    await directory.index('c');
    fake.org.set('q9', entry('q9', 'A'));
    expect(await Promise.all([directory.divisionOf('q9', 'c'), directory.divisionOf('q9', 'c')])).toEqual([undefined, undefined]);
    expect(fake.calls.lookups).toEqual(['q9']);
    await eventually(async () => expect(await directory.divisionOf('q9', 'c')).toBe('A'), { timeoutMs: 3000, intervalMs: 5 });
    expect(fake.calls.lookups).toEqual(['q9']);
    expect((await directory.index('c')).idsIn(new Set(['A']))).toEqual(['q1', 'q9']);
    expect(await directory.divisionOf('nope', 'c')).toBeUndefined();
    await eventually(() => expect(fake.calls.lookups).toEqual(['q9', 'nope']), { timeoutMs: 3000, intervalMs: 5 });
    expect(await directory.divisionOf('nope', 'c')).toBeUndefined();
    expect(fake.calls.lookups).toEqual(['q9', 'nope']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    now += 10_000;
    await eventually(
      async () => {
        expect(await directory.divisionOf('nope', 'c')).toBeUndefined();
        expect(fake.calls.lookups).toEqual(['q9', 'nope', 'nope']);
      },
      { timeoutMs: 3000, intervalMs: 5 },
    );
  });

  it('bounds the lookups it runs in the background', async () => {
    const fake = fakeOrg([]);
    const directory = make(fake, { maxBackgroundLookups: 2 });
    await directory.index('c');
    for (const id of ['a', 'b', 'c', 'd']) expect(await directory.divisionOf(id, 'c')).toBeUndefined();
    expect(fake.calls.lookups).toEqual(['a', 'b']);
  });

  it('bounds what it remembers outside the index', async () => {
    const fake = fakeOrg([]);
    const directory = make(fake, { maxRemembered: 3 });
    await directory.index('c');
    for (const id of ['a', 'b', 'c', 'd', 'e']) await directory.divisionOf(id, 'c');
    await eventually(() => expect(fake.calls.lookups).toHaveLength(5), { timeoutMs: 3000, intervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await directory.divisionOf('a', 'c');
    await eventually(() => expect(fake.calls.lookups.filter((id) => id === 'a')).toHaveLength(2), { timeoutMs: 3000, intervalMs: 5 });
  });

  it('asks Genesys every time when told to be fresh', async () => {
    const fake = fakeOrg([entry('q1', 'A')]);
    const directory = make(fake);
    await directory.index('c');
    fake.org.set('q1', entry('q1', 'C'));
    expect(await directory.divisionOf('q1', 'c')).toBe('A');
    expect(await directory.divisionOf('q1', 'c', { fresh: true })).toBe('C');
    expect(await directory.divisionOf('q1', 'c')).toBe('C');
  });

  it('notices a queue moved to another division on the next refresh', async () => {
    const fake = fakeOrg([entry('q1', 'A'), entry('q2', 'A')]);
    const directory = make(fake);
    expect(await directory.divisionOf('q1', 'c')).toBe('A');
    fake.org.set('q1', entry('q1', 'B'));
    await directory.refresh();
    expect(await directory.divisionOf('q1', 'c')).toBe('B');
    expect((await directory.index('c')).idsIn(new Set(['A']))).toEqual(['q2']);
  });

  it('reloads in the background, and keeps the old index when a refresh fails', async () => {
    const fake = fakeOrg([entry('q1', 'A')]);
    const failures: unknown[] = [];
    const directory = make(fake, { refreshIntervalMs: 20, onRefreshFailure: (error) => failures.push(error) });
    await directory.index('c');
    fake.org.set('q1', entry('q1', 'B'));
    await eventually(async () => expect(await directory.divisionOf('q1', 'c')).toBe('B'), { timeoutMs: 3000, intervalMs: 10 });
    fake.failLoads(true);
    await eventually(() => expect(failures.length).toBeGreaterThan(0), { timeoutMs: 3000, intervalMs: 10 });
    expect(await directory.divisionOf('q1', 'c')).toBe('B');
  });

  it('waits for a reload once the index is past its TTL, and fails closed when Genesys cannot answer', async () => {
    const fake = fakeOrg([entry('q1', 'A')]);
    const directory = make(fake, { ttlMs: 1000 });
    await directory.index('c');
    now += 2000;
    fake.failLoads(true);
    await expect(directory.divisionOf('q1', 'c')).rejects.toBeInstanceOf(GatewayError);
    fake.failLoads(false);
    expect(await directory.divisionOf('q1', 'c')).toBe('A');
    expect(fake.calls.loads).toBe(3);
  });

  it('keeps a write made while a load was under way', async () => {
    const fake = fakeOrg([entry('q1', 'A')]);
    const directory = make(fake);
    await directory.index('c');
    let release!: () => void;
    fake.holdLoads(new Promise<void>((resolve) => (release = resolve)));
    const refreshing = directory.refresh();
    await new Promise((resolve) => setTimeout(resolve, 5));
    now += 1;
    directory.record('q1', entry('q1', 'B'));
    directory.record('q2', entry('q2', 'A'));
    release();
    await refreshing;
    expect(await directory.divisionOf('q1', 'c')).toBe('B');
    expect((await directory.index('c')).divisionOf('q2')).toBe('A');
    directory.record('q2', undefined);
    expect((await directory.index('c')).divisionOf('q2')).toBeUndefined();
  });
});

describe('MemoryJobRegistry', () => {
  it('remembers who created a job until it expires, and stays bounded', async () => {
    let now = 0;
    const registry = new MemoryJobRegistry({ ttlMs: 100, maxJobs: 2, now: () => now });
    await registry.bind('j1', 'acme');
    expect(await registry.ownerOf('j1')).toBe('acme');
    expect(await registry.ownerOf('j2')).toBeUndefined();
    await registry.bind('j2', 'globex');
    await registry.bind('j3', 'globex');
    expect(await registry.ownerOf('j1')).toBeUndefined();
    now = 150;
    expect(await registry.ownerOf('j3')).toBeUndefined();
  });
});
