import request from 'supertest';
import { TestClock } from '../support/clock.js';
import { createSimulator, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function tokenRequest(url: string, authorization = basic('sim-client-id', 'sim-client-secret'), body = 'grant_type=client_credentials') {
  return request(url).post('/oauth/token').set('Authorization', authorization).set('Content-Type', 'application/x-www-form-urlencoded').send(body);
}

async function login(url: string): Promise<string> {
  const res = await tokenRequest(url).expect(200);
  return res.body.access_token as string;
}

describe('simulator token endpoint', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  beforeAll(async () => {
    sim = createSimulator();
    running = await sim.listen(0);
  });
  afterAll(() => running.close());

  it('issues an opaque bearer token for the client-credentials grant', async () => {
    const before = sim.tokens.issuedCount();
    const res = await tokenRequest(running.url).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 86399 });
    expect(res.body.access_token).toMatch(/^[\w-]{40,}$/);
    expect(sim.tokens.isValid(res.body.access_token)).toBe(true);
    expect(sim.tokens.issuedCount()).toBe(before + 1);
    expect(await login(running.url)).not.toBe(res.body.access_token);
  });

  it.each([
    ['a wrong secret', basic('sim-client-id', 'wrong')],
    ['an unknown client', basic('7c6bd7a6-0000-4000-8000-000000000000', 'sim-client-secret')],
    ['no credentials', ''],
  ])('answers 400 invalid_client for %s', async (_case, authorization) => {
    const res = await tokenRequest(running.url, authorization).expect(400);
    expect(res.body).toEqual({ error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' });
  });

  it('refuses other grants and other content types', async () => {
    const grant = await tokenRequest(running.url, undefined, 'grant_type=password').expect(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    await request(running.url).post('/oauth/token').set('Authorization', basic('sim-client-id', 'sim-client-secret')).send({ grant_type: 'client_credentials' }).expect(415);
  });

  it('ignores credentials in the form body unless told to accept them', async () => {
    const form = 'grant_type=client_credentials&client_id=sim-client-id&client_secret=sim-client-secret';
    await request(running.url).post('/oauth/token').type('form').send(form).expect(400);
    const lenient = createSimulator({ acceptCredentialsInBody: true, clientId: 'c', clientSecret: 's' });
    await request(lenient.app).post('/oauth/token').type('form').send('grant_type=client_credentials&client_id=c&client_secret=s').expect(200);
  });
});

describe('simulator bearer checks', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  beforeAll(async () => {
    sim = createSimulator({ clientId: 'id-2', clientSecret: 'secret-2' });
    running = await sim.listen(0);
  });
  afterAll(() => running.close());

  const token = () => tokenRequest(running.url, basic('id-2', 'secret-2')).then((res) => res.body.access_token as string);

  it('answers 401 authentication.required without a token and bad.credentials with a wrong one', async () => {
    const none = await request(running.url).get('/api/v2/routing/queues').expect(401);
    expect(none.body).toMatchObject({ code: 'authentication.required', status: 401, details: [], errors: [] });
    const wrong = await request(running.url).get('/api/v2/routing/queues').set('Authorization', 'Bearer not-a-token').expect(401);
    expect(wrong.body).toMatchObject({ message: 'Invalid login credentials.', code: 'bad.credentials', status: 401 });
    expect(wrong.body.contextId).toBe(wrong.headers['inin-correlation-id']);
  });

  it('rejects every token after revokeAll', async () => {
    const issued = await token();
    await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${issued}`).expect(200);
    sim.tokens.revokeAll();
    expect(sim.tokens.isValid(issued)).toBe(false);
    const res = await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${issued}`).expect(401);
    expect(res.body.code).toBe('bad.credentials');
    await request(running.url).get('/api/v2/users').set('Authorization', `bearer ${await token()}`).expect(200);
  });

  it('sets a correlation id and no-cache headers on every answer, echoing the caller’s id', async () => {
    const issued = await token();
    const fresh = await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${issued}`).expect(200);
    expect(fresh.headers['inin-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    const echoed = await request(running.url).get('/api/v2/nowhere').set('Authorization', `Bearer ${issued}`).set('inin-correlation-id', 'abc-123').expect(404);
    expect(echoed.headers['inin-correlation-id']).toBe('abc-123');
    expect(echoed.body).toEqual({ message: expect.any(String), code: 'not.found', status: 404, contextId: 'abc-123', details: [], errors: [] });
    const root = await request(running.url).get('/elsewhere').expect(404);
    expect(root.body.code).toBe('not.found');
  });
});

describe('simulator token lifetime and rate limit', () => {
  it('expires tokens after tokenTtlSeconds', async () => {
    const clock = new TestClock();
    const sim = createSimulator({ tokenTtlSeconds: 1, now: clock.now });
    const running = await sim.listen(0);
    try {
      const issued = await login(running.url);
      await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${issued}`).expect(200);
      clock.advance(1100);
      expect(sim.tokens.isValid(issued)).toBe(false);
      await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${issued}`).expect(401);
    } finally {
      await running.close();
    }
  });

  it('limits each token to its budget per minute with 429, Retry-After and inin-ratelimit headers', async () => {
    const sim = createSimulator({ requestsPerMinutePerToken: 2 });
    const running = await sim.listen(0);
    try {
      const [first, second] = [await login(running.url), await login(running.url)];
      const ok = await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${first}`).expect(200);
      expect(ok.headers).toMatchObject({ 'inin-ratelimit-count': '1', 'inin-ratelimit-allowed': '2' });
      await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${first}`).expect(200);
      const limited = await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${first}`).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.body).toMatchObject({ code: 'too.many.requests.retry.after', status: 429 });
      expect(limited.body.message).toBe(`Rate limit exceeded the maximum. Retry the request in [${limited.headers['retry-after']}] seconds`);
      await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${second}`).expect(200);
    } finally {
      await running.close();
    }
  });

  it('rejects options that make no sense', () => {
    expect(() => createSimulator({ tokenTtlSeconds: 0 })).toThrow(/tokenTtlSeconds/);
    expect(() => createSimulator({ maxPageSize: 2.5 })).toThrow(/maxPageSize/);
    expect(() => createSimulator({ jobPollsUntilFulfilled: -1 })).toThrow(/jobPollsUntilFulfilled/);
  });
});
