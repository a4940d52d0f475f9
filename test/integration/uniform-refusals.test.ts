import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { conversationId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const callsFor = (h: Harness, correlationId: string) => h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === correlationId).length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('case 7: a foreign id and an unknown id are refused alike', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { READ_CACHE_TTL_MS: '60000' } });
    // Load the directories first, as in steady state.
    await request(h.url).get('/api/v2/users').set('X-API-Key', keys.acme).expect(200);
    await request(h.url).get('/api/v2/routing/queues').set('X-API-Key', keys.acme).expect(200);
  });
  afterAll(() => h.close());

  const unknownLike = (id: string) => `${id.slice(0, 24)}${randomUUID().slice(24)}`;

  it('case 7: same answer, same path (no call to Genesys on the request), same time within noise', async () => {
    for (const [path, foreign] of [
      ['/api/v2/routing/queues/', queueId(3, 2)],
      ['/api/v2/users/', userId(3, 2)],
      ['/api/v2/routing/queues/{id}/members', queueId(3, 3)],
    ] as const) {
      const target = (id: string) => (path.includes('{id}') ? path.replace('{id}', id) : `${path}${id}`);
      const timings = { foreign: [] as number[], unknown: [] as number[] };
      for (let i = 0; i < 30; i += 1) {
        for (const kind of ['foreign', 'unknown'] as const) {
          const id = kind === 'foreign' ? foreign : unknownLike(foreign);
          const correlationId = `uniform-${kind}-${i}-${randomUUID().slice(0, 8)}`;
          const started = performance.now();
          const res = await request(h.url).get(target(id)).set('X-API-Key', keys.acme).set('inin-correlation-id', correlationId);
          timings[kind].push(performance.now() - started);
          expect([res.status, res.body.code, res.body.message]).toEqual([404, 'not.found', 'The requested resource was not found.']);
          expect([kind, callsFor(h, correlationId)]).toEqual([kind, 0]);
        }
      }
      // Both are answered from memory, neither waits for Genesys: the medians differ by noise only
      // (generous bounds: the tests share a loaded machine; a Genesys call on one side costs more).
      const [a, b] = [median(timings.foreign), median(timings.unknown)];
      expect(Math.abs(a - b)).toBeLessThan(3 + 0.5 * Math.max(a, b));
    }
  });

  it('case 7: another tenant’s reads never answer from the read cache', async () => {
    // Acme reads its own conversation; Globex then asks for it by id (the row checks the answer).
    const acmeConversation = conversationId(1, 2);
    await request(h.url).get(`/api/v2/analytics/conversations/${acmeConversation}/details`).set('X-API-Key', keys.acme).expect(200);
    const asked = `cache-probe-${randomUUID()}`;
    await request(h.url).get(`/api/v2/analytics/conversations/${acmeConversation}/details`).set('X-API-Key', keys.globex).set('inin-correlation-id', asked).expect(404);
    const unread = `cache-probe-unread-${randomUUID()}`;
    await request(h.url).get(`/api/v2/analytics/conversations/${conversationId(1, 3)}/details`).set('X-API-Key', keys.globex).set('inin-correlation-id', unread).expect(404);
    // Read by Acme or not, Globex's request costs the same: one call of its own.
    expect([callsFor(h, asked), callsFor(h, unread)]).toEqual([1, 1]);
  });
});
