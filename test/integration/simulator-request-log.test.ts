import request from 'supertest';
import { createSimulator, runSimulatorFromEnv, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';

describe('simulator request log', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  let token: string;
  beforeAll(async () => {
    sim = createSimulator();
    running = await sim.listen(0);
    const res = await request(running.url).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials');
    token = res.body.access_token;
  });
  afterAll(() => running.close());
  beforeEach(() => sim.requestLog.setEnabled(true));

  it('records token and API requests in order, raw, with lowercased headers and bodies', async () => {
    sim.requestLog.clear();
    await request(running.url).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials').expect(200);
    await request(running.url).get('/api/v2/routing/queues?divisionId=a,b&pageSize=5').set('Authorization', `Bearer ${token}`).set('X-Custom', 'v').expect(200);
    await request(running.url)
      .post('/api/v2/analytics/queues/observations/query')
      .set('Authorization', `Bearer ${token}`)
      .send({ filter: { type: 'or', predicates: [{ dimension: 'queueId', value: 'x' }] }, metrics: ['oWaiting'] })
      .expect(200);
    const [login, listing, query] = sim.requestLog.all();
    expect(sim.requestLog.all()).toHaveLength(3);
    expect(login).toMatchObject({ method: 'POST', path: '/oauth/token', query: '', body: 'grant_type=client_credentials' });
    expect(listing).toMatchObject({ method: 'GET', url: '/api/v2/routing/queues?divisionId=a,b&pageSize=5', path: '/api/v2/routing/queues', query: 'divisionId=a,b&pageSize=5', body: '' });
    expect(listing!.headers['x-custom']).toBe('v');
    expect(listing!.headers['authorization']).toBe(`Bearer ${token}`);
    expect(JSON.parse(query!.body)).toMatchObject({ metrics: ['oWaiting'] });
    expect(listing!.at).toBeGreaterThanOrEqual(login!.at);
  });

  it('counts by method and path prefix, and counts token requests', async () => {
    sim.requestLog.clear();
    await request(running.url).get('/api/v2/routing/queues').set('Authorization', `Bearer ${token}`);
    await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${token}`);
    await request(running.url).post('/oauth/token').type('form').send('grant_type=client_credentials');
    expect(sim.requestLog.count()).toBe(3);
    expect(sim.requestLog.count({ pathPrefix: '/api/v2/routing' })).toBe(1);
    expect(sim.requestLog.count({ method: 'get' })).toBe(2);
    expect(sim.requestLog.tokenRequests()).toBe(1);
    sim.requestLog.clear();
    expect(sim.requestLog.count()).toBe(0);
  });

  it('records requests that fail, and nothing while disabled', async () => {
    sim.requestLog.clear();
    await request(running.url).get('/api/v2/users').expect(401);
    expect(sim.requestLog.count({ pathPrefix: '/api/v2/users' })).toBe(1);
    sim.requestLog.setEnabled(false);
    await request(running.url).get('/api/v2/users').set('Authorization', `Bearer ${token}`).expect(200);
    expect(sim.requestLog.count()).toBe(1);
    expect(sim.requestLog.enabled).toBe(false);
    expect(createSimulator({ logRequests: false }).requestLog.enabled).toBe(false);
  });
});

describe('standalone runner', () => {
  it('starts from SIM_* variables and prints where it listens', async () => {
    const lines: string[] = [];
    const env = { SIM_PORT: '0', SIM_HOST: '127.0.0.1', SIM_CLIENT_ID: 'env-id', SIM_CLIENT_SECRET: 'env-secret' };
    const running = await runSimulatorFromEnv(env, (text) => lines.push(text));
    try {
      expect(lines).toEqual([`genesys simulator listening on http://127.0.0.1:${running.port}\n`]);
      await request(running.url).post('/oauth/token').auth('env-id', 'env-secret').type('form').send('grant_type=client_credentials').expect(200);
    } finally {
      await running.close();
    }
  });

  it('refuses a port that is not a number', async () => {
    await expect(runSimulatorFromEnv({ SIM_PORT: 'eighty' }, () => undefined)).rejects.toThrow(/SIM_PORT/);
  });
});
