import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { startHarness, startReplica, type Harness, type Replica } from '../support/harness.js';
import { Gate, ScriptedUpstream, writeInSlices, type ScriptedCall } from '../support/scripted-upstream.js';
import { StreamedRead } from '../support/streamed-read.js';
import { divisionsOf, keys } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

const LISTING = '/api/v2/routing/queues';
const LARGE = `${LISTING}?pageSize=100`;
const THRESHOLD = 4096;

/** Reads that joined a call already in flight, as the metrics count them. */
async function coalesced(h: Harness): Promise<number> {
  const { values } = await h.gateway.metrics.cacheLookups.get();
  return values.find((v) => v.labels['cache'] === 'genesys-reads' && v.labels['result'] === 'coalesced')?.value ?? 0;
}

function auditLine(h: Harness, correlationId: string | string[] | undefined): Record<string, unknown> | undefined {
  return h.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line['msg'] === 'request' && line['correlationId'] === correlationId);
}

const acmeKept = (text: string) => divisionsOf.acme.some((id) => text.includes(`"division":{"id":"${id}"`));

/** Every queue of the org, whatever the division filter: what this Genesys answers to a listing. */
let orgListing: Promise<Buffer> | undefined;
const large = (call: ScriptedCall) => (orgListing ??= call.simulatorBody(LARGE));
const acme = { 'X-API-Key': keys.acme };

async function answerWhole(call: ScriptedCall, body: Buffer): Promise<void> {
  call.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  call.res.end(body);
}

/** Sends the first half in slices, waits for `gate`, then sends the rest. */
async function answerInHalves(call: ScriptedCall, gate: Gate): Promise<void> {
  const body = await large(call);
  const half = Math.floor(body.length / 2);
  call.res.writeHead(200, { 'content-type': 'application/json' });
  await writeInSlices(call.res, body.subarray(0, half), 1024);
  await gate.wait();
  await writeInSlices(call.res, body.subarray(half), 1024);
  call.res.end();
}

async function startStreaming(env: Record<string, string>): Promise<{ upstream: ScriptedUpstream; h: Harness }> {
  const upstream = await ScriptedUpstream.start(LISTING);
  const h = await startHarness({ upstream: (simulatorUrl) => upstream.forwardTo(simulatorUrl), env: { STREAM_THRESHOLD_BYTES: String(THRESHOLD), ...env } });
  return { upstream, h };
}

describe('a listing past STREAM_THRESHOLD_BYTES', () => {
  let upstream: ScriptedUpstream;
  let h: Harness;
  let buffered: Replica;
  let expected: unknown;

  beforeAll(async () => {
    // A timeout longer than any test: only the proxy's own doing closes a call early.
    ({ upstream, h } = await startStreaming({ UPSTREAM_TIMEOUT_MS: '30000' }));
    // The same Genesys, read whole (the default threshold is far above this listing): the answer to match.
    buffered = await startReplica(h, { GENESYS_API_URL: upstream.url });
    upstream.handler = async (call) => answerWhole(call, await large(call));
    const reference = await request(buffered.url).get(LARGE).set(acme).expect(200);
    expect((await orgListing)!.length).toBeGreaterThan(8 * THRESHOLD);
    expect(reference.body.entities.length).toBeGreaterThan(0);
    expect(reference.body.entities.length).toBeLessThan(100);
    expected = reference.body;
  });
  afterAll(async () => {
    await buffered.close();
    await h.close();
    await upstream.close();
  });

  it('reaches the tenant while Genesys is still sending it, and ends as the answer read whole', async () => {
    const rest = new Gate();
    upstream.handler = (call) => answerInHalves(call, rest);
    const read = new StreamedRead(h.url, LARGE, acme);
    // Genesys sends its second half only once the tenant holds one of its own queues.
    await read.until(acmeKept);
    rest.open();
    const result = await read.done;
    expect(result.status).toBe(200);
    expect(result.complete).toBe(true);
    expect(result.headers['content-length']).toBeUndefined();
    expect(result.headers['transfer-encoding']).toBe('chunked');
    expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.text)).toEqual(expected);
    const kept = (expected as { entities: unknown[] }).entities.length;
    await eventually(() => expect(auditLine(h, result.headers['inin-correlation-id'])).toMatchObject({ status: 200, entitiesReturned: kept, entitiesRemoved: 100 - kept }));
    expect(auditLine(h, result.headers['inin-correlation-id'])).not.toHaveProperty('aborted');
  });

  it('is decoded as it arrives when Genesys compresses it', async () => {
    upstream.handler = async (call) => {
      const body = gzipSync(await large(call));
      call.res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      await writeInSlices(call.res, body, 512);
      call.res.end();
    };
    const res = await request(h.url).get(LARGE).set(acme).expect(200);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body).toEqual(expected);
  });

  it('cancels the call to Genesys when the tenant goes away', async () => {
    const before = upstream.calls.length;
    upstream.handler = (call) => answerInHalves(call, new Gate());
    const read = new StreamedRead(h.url, LARGE, acme);
    const call = await upstream.callNumber(before + 1);
    await read.until(acmeKept);
    const abortedAt = Date.now();
    read.abort();
    // Genesys never finishes this answer: only the proxy closing the connection ends the call.
    await call.abandoned;
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    const result = await read.done;
    expect(result.complete).toBe(false);
    await eventually(() => expect(auditLine(h, result.headers['inin-correlation-id'])).toMatchObject({ status: 200, aborted: true }));
  });

  it('ends as an error the tenant can detect when Genesys breaks off mid-answer', async () => {
    const cut = new Gate();
    upstream.handler = async (call) => {
      const body = await large(call);
      call.res.writeHead(200, { 'content-type': 'application/json' });
      await writeInSlices(call.res, body.subarray(0, Math.floor(body.length / 2)), 1024);
      await cut.wait();
      call.res.socket?.destroy();
    };
    const read = new StreamedRead(h.url, LARGE, acme);
    await read.until(acmeKept);
    cut.open();
    const result = await read.done;
    expect(result.status).toBe(200);
    expect(result.complete).toBe(false);
    expect(() => JSON.parse(result.text)).toThrow();
    await eventually(() => expect(auditLine(h, result.headers['inin-correlation-id'])).toMatchObject({ aborted: true }));
  });

  it('is the usual 502 when Genesys breaks off before anything was sent', async () => {
    upstream.handler = (call) => {
      // Its length says it is large: nothing is read before it is handed over, and nothing comes.
      call.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * THRESHOLD) });
      call.res.flushHeaders();
      setImmediate(() => call.res.socket?.destroy());
    };
    const res = await request(h.url).get(LARGE).set(acme);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: expect.any(String), code: 'upstream.unreachable', status: 502, contextId: res.headers['inin-correlation-id'] });
  });

  it('is the usual 502 when it cannot be scoped from its first bytes', async () => {
    upstream.handler = (call) => {
      const notAListing = Buffer.from(JSON.stringify(Array.from({ length: 4 * THRESHOLD }, (_, i) => i)));
      return answerWhole(call, notAListing);
    };
    const res = await request(h.url).get(LARGE).set(acme);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: expect.any(String), code: 'upstream.bad.response', status: 502, contextId: res.headers['inin-correlation-id'] });
  });

  it('is not shared with an identical read that joined it: that one makes its own call', async () => {
    const before = upstream.calls.length;
    const headers = new Gate();
    const rest = new Gate();
    upstream.handler = async (call) => {
      if (call !== upstream.calls[before]) return answerWhole(call, await large(call));
      await headers.wait();
      return answerInHalves(call, rest);
    };
    const joinedBefore = await coalesced(h);
    const first = request(h.url).get(LARGE).set(acme).then((res) => res);
    await upstream.callNumber(before + 1);
    const second = request(h.url).get(LARGE).set(acme).then((res) => res);
    await eventually(async () => expect((await coalesced(h)) - joinedBefore).toBe(1));
    headers.open();
    // The first answer is streamed: the read that joined it asks Genesys itself.
    await upstream.callNumber(before + 2);
    rest.open();
    const answers = await Promise.all([first, second]);
    expect(answers.map((res) => res.status)).toEqual([200, 200]);
    for (const res of answers) expect(res.body).toEqual(expected);
    expect(upstream.calls.length - before).toBe(2);
  });

  it('below the threshold is read whole and shared as before, and framed like a streamed one', async () => {
    const small = `${LISTING}?pageSize=2`;
    const before = upstream.calls.length;
    const release = new Gate();
    upstream.handler = async (call) => {
      const body = await call.simulatorBody(small);
      expect(body.length).toBeLessThan(THRESHOLD);
      await release.wait();
      return answerWhole(call, body);
    };
    const joinedBefore = await coalesced(h);
    const answers = Promise.all([0, 1, 2].map(() => request(h.url).get(small).set(acme).then((res) => res)));
    await eventually(async () => expect((await coalesced(h)) - joinedBefore).toBe(2));
    release.open();
    const [first, ...others] = await answers;
    expect(first!.status).toBe(200);
    // Read whole (the three shared one call), yet sent chunked: whether Genesys's answer crossed the
    // threshold does not show in the framing.
    expect(first!.headers['content-length']).toBeUndefined();
    expect(first!.headers['transfer-encoding']).toBe('chunked');
    for (const res of others) expect(res.body).toEqual(first!.body);
    expect(upstream.calls.length - before).toBe(1);
  });
});

describe('the timeout of a streamed listing (UPSTREAM_TIMEOUT_MS)', () => {
  let upstream: ScriptedUpstream;
  let h: Harness;
  beforeAll(async () => {
    ({ upstream, h } = await startStreaming({ UPSTREAM_TIMEOUT_MS: '400' }));
  });
  afterAll(async () => {
    await h.close();
    await upstream.close();
  });

  it('bounds the silence between chunks, not the whole answer', async () => {
    upstream.handler = async (call) => {
      const body = await large(call);
      const half = Math.floor(body.length / 2);
      call.res.writeHead(200, { 'content-type': 'application/json' });
      call.res.write(body.subarray(0, half));
      // Eight pauses of 80 ms: longer than the timeout in all, never silent for that long.
      const slice = Math.ceil((body.length - half) / 8);
      for (let at = half; at < body.length; at += slice) {
        await new Promise((resolve) => setTimeout(resolve, 80));
        call.res.write(body.subarray(at, at + slice));
      }
      call.res.end();
    };
    const startedAt = Date.now();
    const result = await new StreamedRead(h.url, LARGE, acme).done;
    expect(Date.now() - startedAt).toBeGreaterThan(400);
    expect(result.complete).toBe(true);
    const entities = (JSON.parse(result.text) as { entities: { division: { id: string } }[] }).entities;
    expect(entities.length).toBeGreaterThan(0);
    for (const entity of entities) expect(divisionsOf.acme).toContain(entity.division.id);
  });

  it('cuts the answer and the call when Genesys falls silent mid-answer', async () => {
    const before = upstream.calls.length;
    upstream.handler = (call) => answerInHalves(call, new Gate());
    const read = new StreamedRead(h.url, LARGE, acme);
    const call = await upstream.callNumber(before + 1);
    await call.abandoned;
    const result = await read.done;
    expect(result.status).toBe(200);
    expect(result.complete).toBe(false);
    expect(() => JSON.parse(result.text)).toThrow();
  });
});
