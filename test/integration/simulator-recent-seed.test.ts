import { runSimulatorFromEnv } from '../../src/simulator/main.js';

const DAY = 86_400_000;

describe('the standalone simulator (docker compose)', () => {
  it('seeds its analytics relative to today, so the last 7 days have conversations', async () => {
    const running = await runSimulatorFromEnv({ SIM_PORT: '0', SIM_HOST: '127.0.0.1' }, () => undefined);
    try {
      const token = (await (await fetch(`${running.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('sim-client-id:sim-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })).json()) as { access_token: string };
      const end = new Date();
      const interval = `${new Date(end.getTime() - 7 * DAY).toISOString()}/${end.toISOString()}`;
      const answer = (await (await fetch(`${running.url}/api/v2/analytics/conversations/details/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ interval, paging: { pageSize: 25, pageNumber: 1 } }),
      })).json()) as { totalHits?: number };
      expect(answer.totalHits).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
  });
});
