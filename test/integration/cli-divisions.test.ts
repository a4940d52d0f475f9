import { runCli } from '../../src/cli/run-cli.js';
import { createSimulator, divisionId, type RunningSimulator } from '../../src/simulator/index.js';
import { bufferedIo } from '../support/cli-io.js';
import { freePort } from '../support/ports.js';

describe('genesys-division-proxy divisions', () => {
  let simulator: RunningSimulator;
  beforeAll(async () => {
    simulator = await createSimulator({ clientId: 'cli-id', clientSecret: 'cli-secret', maxPageSize: 2 }).listen(0);
  });
  afterAll(() => simulator.close());

  const env = () => ({ GENESYS_API_URL: simulator.url, GENESYS_LOGIN_URL: simulator.url, GENESYS_CLIENT_ID: 'cli-id', GENESYS_CLIENT_SECRET: 'cli-secret' });

  it('lists every division of the org over all pages, with ids, names and object counts', async () => {
    const io = bufferedIo(env());
    expect(await runCli(['divisions'], io)).toBe(0);
    const lines = io.stdout().trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.startsWith(divisionId(0)))).toContain('Home (home)');
    expect(lines.find((l) => l.startsWith(divisionId(3)))).toMatch(/Globex\s+\[.*queue 30/);
  });

  it('fails with a clear message, without the secret, when the credentials are refused', async () => {
    const io = bufferedIo({ ...env(), GENESYS_CLIENT_SECRET: 'wrong-secret' });
    expect(await runCli(['divisions'], io)).toBe(1);
    expect(io.stderr()).toContain('could not obtain a Genesys Cloud access token: Genesys refused the client credentials');
    expect(io.stderr()).toContain('Check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET');
    expect(io.stderr()).not.toContain('wrong-secret');
  });

  it('says when nothing answers at the login URL, and which setting to check', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const io = bufferedIo({ ...env(), GENESYS_LOGIN_URL: url, GENESYS_API_URL: url });
    expect(await runCli(['divisions'], io)).toBe(1);
    expect(io.stderr()).toContain(`nothing answers at ${url} (ECONNREFUSED). Check GENESYS_LOGIN_URL`);
  });

  it('says when the region’s login host does not resolve', async () => {
    const io = bufferedIo({ GENESYS_REGION: 'no-such-region.invalid', GENESYS_CLIENT_ID: 'cli-id', GENESYS_CLIENT_SECRET: 'cli-secret' });
    expect(await runCli(['divisions'], io)).toBe(1);
    expect(io.stderr()).toMatch(/the Genesys login host login\.no-such-region\.invalid does not resolve \(DNS: (ENOTFOUND|EAI_AGAIN)\)\. Check GENESYS_REGION/);
  });

  it('names the missing setting', async () => {
    const io = bufferedIo({ GENESYS_REGION: 'mypurecloud.com' });
    expect(await runCli(['divisions'], io)).toBe(1);
    expect(io.stderr()).toContain('GENESYS_CLIENT_ID');
  });
});
