import http from 'node:http';
import zlib from 'node:zlib';
import request from 'supertest';
import { createSimulator, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';
import { divisionId, queueId } from '../../src/simulator/seed-ids.js';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** node:http without decompression or retries, so encodings and resets show as they are. */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: hostname, port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('close', () => (res.complete ? resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }) : reject(new Error(`cut after ${Buffer.concat(chunks).length} bytes with status ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

describe('simulator faults', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const get = (path = '/api/v2/routing/queues') => request(running.url).get(path).set(auth());
  const login = () => request(running.url).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials');

  beforeAll(async () => {
    sim = createSimulator();
    running = await sim.listen(0);
    token = (await login()).body.access_token;
  });
  afterAll(() => running.close());
  afterEach(() => sim.faults.clear());

  describe('matching', () => {
    it('answers a status fault on any API path with a Genesys ErrorBody, before authentication, but not at /oauth/token', async () => {
      sim.faults.add({ kind: 'status', status: 503 });
      const res = await request(running.url).get('/api/v2/users').expect(503);
      expect(res.body).toMatchObject({ code: 'service.unavailable', status: 503, contextId: res.headers['inin-correlation-id'] });
      await login().expect(200);
      sim.faults.clear();
      sim.faults.add({ kind: 'status', status: 500, code: 'custom.code', message: 'custom' });
      expect((await get().expect(500)).body).toMatchObject({ code: 'custom.code', message: 'custom' });
    });

    it('limits a rule to a path prefix and a method', async () => {
      sim.faults.add({ kind: 'status', status: 502, pathPrefix: `/api/v2/routing/queues/${queueId(1, 1)}/members`, method: 'get' });
      await get(`/api/v2/routing/queues/${queueId(1, 1)}/members`).expect(502);
      await get(`/api/v2/routing/queues/${queueId(1, 1)}`).expect(200);
      await request(running.url).delete(`/api/v2/routing/queues/${queueId(1, 1)}/members`).set(auth()).expect(404);
    });

    it('expires a rule after its times, and shows what is left', async () => {
      sim.faults.add({ kind: 'status', status: 500, times: 2 });
      await get().expect(500);
      expect(sim.faults.active()).toEqual([{ kind: 'status', status: 500, times: 1 }]);
      await get().expect(500);
      expect(sim.faults.active()).toEqual([]);
      await get().expect(200);
    });

    it('lets the first matching rule win', async () => {
      sim.faults.add({ kind: 'status', status: 500, pathPrefix: '/api/v2/users' });
      sim.faults.add({ kind: 'status', status: 502 });
      await get('/api/v2/users').expect(500);
      await get().expect(502);
    });

    it('rejects rules that cannot work', () => {
      expect(() => sim.faults.add({ kind: 'status', status: 42 })).toThrow(/status/);
      expect(() => sim.faults.add({ kind: 'delay', ms: 10, times: 0 })).toThrow(/times/);
    });
  });

  describe('response faults', () => {
    it('rateLimit: 429 with Retry-After and Genesys’s message', async () => {
      sim.faults.add({ kind: 'rateLimit', retryAfterSeconds: 7 });
      const res = await get().expect(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.body).toMatchObject({ code: 'too.many.requests.retry.after', status: 429, message: 'Rate limit exceeded the maximum. Retry the request in [7] seconds' });
    });

    it('malformedJson: 200 application/json that does not parse', async () => {
      sim.faults.add({ kind: 'malformedJson' });
      const res = await rawGet(running.url, '/api/v2/routing/queues', auth());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(() => JSON.parse(res.body.toString('utf8'))).toThrow(SyntaxError);
    });

    it('wrongContentType: 200 text/html', async () => {
      sim.faults.add({ kind: 'wrongContentType' });
      const res = await rawGet(running.url, '/api/v2/routing/queues', auth());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body.toString('utf8')).toMatch(/^<html>/);
    });

    it.each([
      ['gzip', zlib.gunzipSync],
      ['deflate', zlib.inflateSync],
      ['br', zlib.brotliDecompressSync],
    ] as const)('%s: encodes the normal answer though the client never asked for it', async (encoding, decode) => {
      sim.faults.add({ kind: 'gzip', encoding });
      const res = await rawGet(running.url, `/api/v2/routing/queues?divisionId=${divisionId(2)}`, auth());
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      const listing = JSON.parse(decode(res.body).toString('utf8'));
      expect(listing).toMatchObject({ total: 30, pageSize: 25 });
    });

    it('gzip also encodes error answers', async () => {
      sim.faults.add({ kind: 'gzip' });
      const res = await rawGet(running.url, '/api/v2/routing/queues');
      expect(res.status).toBe(401);
      expect(JSON.parse(zlib.gunzipSync(res.body).toString('utf8')).code).toBe('authentication.required');
    });

    it('delay: answers normally, late', async () => {
      sim.faults.add({ kind: 'delay', ms: 300, times: 1 });
      const started = Date.now();
      await get().expect(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const again = Date.now();
      await get().expect(200);
      expect(Date.now() - again).toBeLessThan(290);
    });

    it('delay: close() does not wait for a pending delay', async () => {
      const slow = createSimulator();
      const slowRunning = await slow.listen(0);
      slow.faults.add({ kind: 'delay', ms: 60_000 });
      const pending = rawGet(slowRunning.url, '/api/v2/users').then(
        () => 'answered',
        () => 'cut',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      await slowRunning.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await pending).toBe('cut');
    });

    it('reset: headers and part of the body, then a dead socket; the next request is served', async () => {
      sim.faults.add({ kind: 'reset', times: 1 });
      await expect(rawGet(running.url, '/api/v2/routing/queues', auth())).rejects.toThrow(/aborted|cut after \d+ bytes with status 200|ECONNRESET/);
      await get().expect(200);
    });

    it('reset before headers: the socket dies with no answer at all', async () => {
      sim.faults.add({ kind: 'reset', resetBeforeHeaders: true, times: 1 });
      await expect(rawGet(running.url, '/api/v2/routing/queues', auth())).rejects.toThrow(/socket hang up|ECONNRESET/);
    });
  });

  describe('ignoreDivisionFilter', () => {
    it('makes queue listings ignore divisionId, for the given number of times', async () => {
      sim.faults.add({ kind: 'ignoreDivisionFilter', times: 2 });
      const leaky = await get(`/api/v2/routing/queues?divisionId=${divisionId(1)}&pageSize=100`).expect(200);
      expect(leaky.body.total).toBe(150);
      expect(new Set(leaky.body.entities.map((q: { division: { id: string } }) => q.division.id)).size).toBeGreaterThan(1);
      const view = await get(`/api/v2/routing/queues/divisionviews?divisionId=${divisionId(1)}`).expect(200);
      expect(view.body.total).toBe(150);
      expect((await get(`/api/v2/routing/queues?divisionId=${divisionId(1)}`).expect(200)).body.total).toBe(30);
    });

    it('does not change other answers', async () => {
      sim.faults.add({ kind: 'ignoreDivisionFilter', times: 1 });
      await get(`/api/v2/routing/queues/${queueId(1, 1)}`).expect(200);
      await get(`/api/v2/users?divisionId=${divisionId(1)}`).expect(200);
      expect(sim.faults.active()).toEqual([{ kind: 'ignoreDivisionFilter', times: 1 }]);
    });
  });

  describe('token endpoint faults', () => {
    it('tokenDown: 503 at /oauth/token while the API keeps working', async () => {
      sim.faults.add({ kind: 'tokenDown' });
      const res = await login().expect(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      await get().expect(200);
    });

    it('tokenDown in reset mode: the socket dies', async () => {
      sim.faults.add({ kind: 'tokenDown', mode: 'reset', times: 1 });
      await expect(login()).rejects.toThrow(/socket hang up|ECONNRESET/);
      await login().expect(200);
    });

    it('tokenRefuse: 400 invalid_client for correct credentials', async () => {
      sim.faults.add({ kind: 'tokenRefuse' });
      const res = await login().expect(400);
      expect(res.body).toEqual({ error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' });
    });

    it('an explicit pathPrefix can aim any fault at /oauth/token', async () => {
      sim.faults.add({ kind: 'rateLimit', retryAfterSeconds: 2, pathPrefix: '/oauth/token' });
      const res = await login().expect(429);
      expect(res.headers['retry-after']).toBe('2');
    });
  });
});
