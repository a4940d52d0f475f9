import { GatewayError } from '../../../src/errors.js';
import { SnapshotDirectory, type DirectoryLoad } from '../../../src/genesys/org-directory.js';
import type { DirectoryEntry } from '../../../src/scoping/division-index.js';
import { entry } from '../../support/scoping.js';

function directoryOver(org: Map<string, DirectoryEntry>, clock: { now: number }) {
  const loads: DirectoryLoad[] = [];
  let fail = false;
  const directory = new SnapshotDirectory({
    loadAll: async () => {
      if (fail) throw new GatewayError('upstream.error', { message: 'Genesys Cloud answered with an error.' });
      return [...org.values()];
    },
    lookupOne: async (id) => org.get(id),
    refreshIntervalMs: 0,
    now: () => clock.now,
    onLoad: (load) => loads.push(load),
  });
  return { directory, loads, failLoads: (value: boolean) => (fail = value) };
}

describe('SnapshotDirectory: what a reload found', () => {
  it('reports objects found in another division than before, and nothing on the first load', async () => {
    const org = new Map([['q1', entry('q1', 'A', 'Sales')], ['q2', entry('q2', 'B')]]);
    const { directory, loads } = directoryOver(org, { now: 1000 });
    await directory.refresh();
    org.set('q1', entry('q1', 'B', 'Sales'));
    org.set('q3', entry('q3', 'C'));
    org.delete('q2');
    await directory.refresh();
    expect(loads.map((load) => load.moves)).toEqual([[], [{ id: 'q1', name: 'Sales', fromDivisionId: 'A', toDivisionId: 'B' }]]);
    expect(loads[1]).toMatchObject({ entries: 2 });
    directory.close();
  });

  it('does not report a move the proxy itself recorded (a write through it) when the reload agrees', async () => {
    const org = new Map([['q1', entry('q1', 'A')]]);
    const { directory, loads } = directoryOver(org, { now: 1000 });
    await directory.refresh();
    directory.record('q1', entry('q1', 'B'));
    org.set('q1', entry('q1', 'B'));
    await directory.refresh();
    expect(loads[1]!.moves).toEqual([]);
    directory.close();
  });

  it('changes its assignment digest when an object moves, appears or goes, and only then', async () => {
    const org = new Map([['q1', entry('q1', 'A')], ['q2', entry('q2', 'B')]]);
    const { directory } = directoryOver(org, { now: 1000 });
    await directory.refresh();
    const initial = directory.assignments();
    org.set('q1', entry('q1', 'A', 'renamed'));
    await directory.refresh();
    expect(directory.assignments()).toBe(initial);
    org.set('q1', entry('q1', 'B'));
    await directory.refresh();
    const moved = directory.assignments();
    expect(moved).not.toBe(initial);
    directory.record('q3', entry('q3', 'A'));
    expect(directory.assignments()).not.toBe(moved);
    directory.record('q3', undefined);
    expect(directory.assignments()).toBe(moved);
    org.set('q1', entry('q1', 'A'));
    await directory.refresh();
    expect(directory.assignments()).toBe(initial);
    directory.close();
  });

  it('is the same digest on two directories holding the same picture, whatever the order', async () => {
    const a = directoryOver(new Map([['q1', entry('q1', 'A')], ['q2', entry('q2', 'B')]]), { now: 1 });
    const b = directoryOver(new Map([['q2', entry('q2', 'B')], ['q1', entry('q1', 'A')]]), { now: 1 });
    await a.directory.refresh();
    await b.directory.refresh();
    expect(a.directory.assignments()).toBe(b.directory.assignments());
    a.directory.close();
    b.directory.close();
  });

  it('reports its freshness: last load, size, and the last failure until a load succeeds', async () => {
    const clock = { now: 5000 };
    const org = new Map([['q1', entry('q1', 'A')]]);
    const { directory, failLoads } = directoryOver(org, clock);
    expect(directory.status()).toEqual({ loadedAt: undefined, entries: 0, lastFailure: undefined });
    await directory.refresh();
    directory.record('q2', entry('q2', 'A'));
    expect(directory.status()).toEqual({ loadedAt: 5000, entries: 2, lastFailure: undefined });
    failLoads(true);
    clock.now = 9000;
    await expect(directory.refresh()).rejects.toThrow();
    expect(directory.status()).toEqual({ loadedAt: 5000, entries: 2, lastFailure: { at: 9000, reason: 'Genesys Cloud answered with an error.' } });
    failLoads(false);
    await directory.refresh();
    expect(directory.status()).toMatchObject({ loadedAt: 9000, entries: 1, lastFailure: undefined });
    directory.close();
  });
});
