import request from 'supertest';
import { startHarness, type Harness } from '../support/harness.js';
import { ScriptedUpstream, type ScriptedCall } from '../support/scripted-upstream.js';
import { divisionsOf, keys } from '../support/tenants.js';

const LISTING = '/api/v2/routing/queues';
const acme = { 'X-API-Key': keys.acme };

async function scopedAnswers(h: Harness, by: string): Promise<number> {
  const { values } = await h.gateway.metrics.scopedAnswers.get();
  return values.filter((v) => v.labels['by'] === by).reduce((sum, v) => sum + v.value, 0);
}

function answer(call: ScriptedCall, body: Buffer): void {
  call.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  call.res.end(body);
}

/**
 * The same listing with its first entity's `name` given twice: JSON.parse keeps the second, so a
 * copy of the first would differ; the byte scanner must hand such an answer to the reference.
 */
function withDuplicateName(listing: Buffer): Buffer {
  const text = listing.toString('utf8');
  const at = text.indexOf('"name":"');
  return Buffer.from(`${text.slice(0, at)}"name":"first",${text.slice(at)}`, 'utf8');
}

describe('queue listings scoped on their bytes', () => {
  let upstream: ScriptedUpstream;
  let h: Harness;
  let listing: Buffer;

  beforeAll(async () => {
    upstream = await ScriptedUpstream.start(LISTING);
    h = await startHarness({ upstream: (simulatorUrl) => upstream.forwardTo(simulatorUrl) });
  });
  afterAll(async () => {
    await h.close();
    await upstream.close();
  });

  it('copies the tenant’s queues from Genesys’s bytes and counts the answer as scoped by bytes', async () => {
    upstream.handler = async (call) => answer(call, (listing = await call.simulatorBody(`${LISTING}?pageSize=100`)));
    const before = await scopedAnswers(h, 'bytes');
    const res = await request(h.url).get(`${LISTING}?pageSize=100`).set(acme).expect(200);
    expect(await scopedAnswers(h, 'bytes')).toBe(before + 1);
    const entities = res.body.entities as { division: { id: string }; memberCount?: number }[];
    expect(entities.length).toBeGreaterThan(0);
    expect(entities.every((queue) => divisionsOf.acme.includes(queue.division.id))).toBe(true);
    // Declared fields only: Genesys's member counts stay behind even when copied from its bytes.
    expect(entities.some((queue) => queue.memberCount !== undefined)).toBe(false);
    // Each kept queue is Genesys's own bytes, less the fields the table drops.
    const first = JSON.stringify(entities[0]);
    expect(listing.toString('utf8')).toContain(first.slice(0, first.indexOf(',"mediaSettings"')));
  });

  it('answers 502 to a content encoding named like a property every object has', async () => {
    for (const encoding of ['toString', 'constructor', '__proto__']) {
      upstream.handler = async (call) => {
        const body = await call.simulatorBody(`${LISTING}?pageSize=100`);
        call.res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': String(body.length) });
        call.res.end(body);
      };
      const res = await request(h.url).get(`${LISTING}?pageSize=100`).set(acme).expect(502);
      expect(res.body).toMatchObject({ code: 'upstream.bad.response', message: 'Genesys Cloud returned an unsupported content encoding.' });
    }
  });

  it('judges an entity the scanner does not vouch for with the reference, as JSON.parse reads it, and keeps to the byte path', async () => {
    upstream.handler = async (call) => answer(call, withDuplicateName(await call.simulatorBody(`${LISTING}?pageSize=100`)));
    const before = await scopedAnswers(h, 'bytes');
    const res = await request(h.url).get(`${LISTING}?pageSize=100`).set(acme).expect(200);
    expect(await scopedAnswers(h, 'bytes')).toBe(before + 1);
    const reference = JSON.parse(withDuplicateName(listing).toString('utf8')) as { entities: { id: string; name: string }[] };
    for (const queue of res.body.entities as { id: string; name: string }[]) {
      expect(queue.name).toBe(reference.entities.find((upstreamQueue) => upstreamQueue.id === queue.id)!.name);
    }
  });

  it('answers a listing whose envelope the scanner does not vouch for with the reference, and counts it as parsed', async () => {
    // `pageSize` twice: JSON.parse keeps the second.
    upstream.handler = async (call) => answer(call, Buffer.from((await call.simulatorBody(`${LISTING}?pageSize=100`)).toString('utf8').replace('"pageSize":', '"pageSize":1,"pageSize":')));
    const before = await scopedAnswers(h, 'parsed');
    const res = await request(h.url).get(`${LISTING}?pageSize=100`).set(acme).expect(200);
    expect(await scopedAnswers(h, 'parsed')).toBe(before + 1);
    expect(res.body.pageSize).toBe(100);
    const line = h.logLines.map((text) => JSON.parse(text) as Record<string, unknown>).findLast((entry) => entry['msg'] === 'request');
    expect(line?.['scopedBy']).toBe('parsed');
  });
});

describe('SCOPE_ON_BYTES=false', () => {
  let h: Harness;
  let onBytes: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { SCOPE_ON_BYTES: 'false' } });
    onBytes = await startHarness();
  });
  afterAll(async () => {
    await h.close();
    await onBytes.close();
  });

  it('scopes every queue listing with the reference, to the same answer as the byte scoper', async () => {
    const path = `${LISTING}?pageSize=50&pageNumber=2`;
    const before = await scopedAnswers(h, 'parsed');
    const parsed = await request(h.url).get(path).set(acme).expect(200);
    const copied = await request(onBytes.url).get(path).set(acme).expect(200);
    expect(await scopedAnswers(h, 'parsed')).toBe(before + 1);
    expect(await scopedAnswers(h, 'bytes')).toBe(0);
    expect(parsed.body).toEqual(copied.body);
    expect(parsed.body.entities.length).toBeGreaterThan(0);
  });
});
