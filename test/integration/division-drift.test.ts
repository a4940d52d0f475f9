import request from 'supertest';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

type Listing = { entities: { id: string }[] };

const moved = queueId(3, 1);
const listing = (h: Harness, key: string) => request(h.url).get('/api/v2/routing/queues?pageSize=100').set('X-API-Key', key).expect(200);
const listed = async (h: Harness, key: string) => ((await listing(h, key)).body as Listing).entities.map((queue) => queue.id);
const listingCalls = (h: Harness) => h.sim.requestLog.all().filter((r) => r.path === '/api/v2/routing/queues').length;

describe('division drift: a queue moved between divisions in Genesys', () => {
  let h: Harness;
  let ops: string;
  beforeEach(async () => {
    // A long read-cache TTL: without drift handling, the answers read before the move would be served for a minute.
    h = await startHarness({ env: { READ_CACHE_TTL_MS: '60000' } });
    ops = (await h.gateway.listenOperations(0, '127.0.0.1')).url;
    await h.gateway.directories.queues.refresh();
  });
  afterEach(() => h.close());

  it('is logged with the tenants that gained and lost it, counted, shown on the console, and no cached answer outlives it', async () => {
    expect(await listed(h, keys.globex)).toContain(moved);
    expect(await listed(h, keys.acme)).not.toContain(moved);
    const callsBefore = listingCalls(h);
    expect(await listed(h, keys.globex)).toContain(moved); // now from the read cache
    expect(listingCalls(h)).toBe(callsBefore);

    h.sim.org.moveQueue(moved, divisionId(1));
    await h.gateway.directories.queues.refresh();

    const drift = h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['log'] === 'drift');
    expect(drift).toEqual([
      expect.objectContaining({ directory: 'queues', entity: moved, fromDivision: divisionId(3), toDivision: divisionId(1), gainedBy: ['acme'], lostBy: ['globex'] }),
    ]);
    expect(await h.gateway.metrics.registry.getSingleMetricAsString('gdp_division_drift_total')).toContain('gdp_division_drift_total{directory="queues"} 1');
    const console = (await request(ops).get('/console/state').expect(200)).body as { drift: unknown[] };
    expect(console.drift).toEqual([
      expect.objectContaining({ directory: 'queues', id: moved, from: { id: divisionId(3), name: expect.any(String) }, to: { id: divisionId(1), name: expect.any(String) }, gainedBy: ['acme'], lostBy: ['globex'] }),
    ]);

    expect(await listed(h, keys.globex)).not.toContain(moved);
    expect(await listed(h, keys.acme)).toContain(moved);
    await request(h.url).get(`/api/v2/routing/queues/${moved}`).set('X-API-Key', keys.globex).expect(404);
    await request(h.url).get(`/api/v2/routing/queues/${moved}`).set('X-API-Key', keys.acme).expect(200);
  });

  it('does not let a request made after the move join a read still in flight from before it', async () => {
    h.sim.faults.add({ kind: 'delay', ms: 700, method: 'GET', pathPrefix: '/api/v2/routing/queues', times: 1 });
    const callsBefore = listingCalls(h);
    const before = listing(h, keys.globex).then((res) => res.status); // supertest sends on then()
    await eventually(() => expect(listingCalls(h)).toBe(callsBefore + 1), { intervalMs: 10 });
    h.sim.org.moveQueue(moved, divisionId(1));
    await h.gateway.directories.queues.refresh();
    // The simulator answers the delayed read after the move; what matters is that the later read made its own call.
    expect(await listed(h, keys.globex)).not.toContain(moved);
    await before;
    expect(listingCalls(h)).toBe(callsBefore + 2);
  });

  it('reports nothing when a reload finds every object where it was', async () => {
    await h.gateway.directories.queues.refresh();
    await h.gateway.directories.users.refresh();
    expect(h.logLines.some((line) => line.includes('"log":"drift"'))).toBe(false);
    expect(h.gateway.drift.recent()).toEqual([]);
  });
});
