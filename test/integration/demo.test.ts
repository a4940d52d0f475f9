import request from 'supertest';
import { runDemo } from '../../src/demo/main.js';
import { freePort } from '../support/ports.js';

describe('npm run demo', () => {
  it('starts the simulator and the proxy with the example tenants, and its commands show each tenant only its own queues', async () => {
    let printed = '';
    const demo = await runDemo({ PORT: '0', SIM_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', METRICS_PORT: '0' }, (text) => (printed += text));
    try {
      const base = /proxy\s+(http:\/\/\S+)/.exec(printed)![1]!;
      const key = (tenant: string) => new RegExp(`(gdp_demo_${tenant}_\\S+?)'`).exec(printed)![1]!;
      const acme = await request(base).get('/api/v2/routing/queues?pageSize=100').set('X-API-Key', key('acme')).expect(200);
      expect(new Set(acme.body.entities.map((q: { division: { name: string } }) => q.division.name))).toEqual(new Set(['Acme North', 'Acme South']));
      const globex = await request(base).get('/api/v2/routing/queues?pageSize=100').set('Authorization', `Bearer ${key('globex')}`).expect(200);
      expect(new Set(globex.body.entities.map((q: { division: { name: string } }) => q.division.name))).toEqual(new Set(['Globex']));
      const foreign = /queues\/(a0000003-[0-9a-f-]+)'/.exec(printed)![1]!;
      await request(base).get(`/api/v2/routing/queues/${foreign}`).set('X-API-Key', key('acme')).expect(404);
      const token = await request(base).post('/oauth/token').auth('globex-demo-2026-11', key('globex')).type('form').send({ grant_type: 'client_credentials' }).expect(200);
      expect(token.body.token_type).toBe('bearer');
    } finally {
      await demo.close();
    }
  });

  it('runs the real composition: the operations listener too, and loopback unless told otherwise', async () => {
    const metricsPort = await freePort();
    let printed = '';
    const demo = await runDemo({ PORT: '0', SIM_PORT: '0', LOG_LEVEL: 'silent', METRICS_PORT: String(metricsPort) }, (text) => (printed += text));
    try {
      expect(demo.proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
      expect(printed).toContain(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(printed).toContain(`http://127.0.0.1:${metricsPort}/console`);
      await request(`http://127.0.0.1:${metricsPort}`).get('/console').expect(200);
      const metrics = await request(`http://127.0.0.1:${metricsPort}`).get('/metrics').expect(200);
      expect(metrics.text).toContain('gdp_');
    } finally {
      await demo.close();
    }
  });
});
