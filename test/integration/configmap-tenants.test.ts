import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runCli } from '../../src/cli/run-cli.js';
import { bufferedIo } from '../support/cli-io.js';
import { writeConfigMapVolume } from '../support/configmap.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionsOf, keys, tenantYaml } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

describe('tenants from a Kubernetes ConfigMap volume', () => {
  let h: Harness | undefined;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'configmap-tenants-'));
    await writeConfigMapVolume(dir, { 'acme.yaml': tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }]) }, 1);
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (key: string) => (await request(h!.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', key)).status;

  it('loads the linked files, and validate reads them', async () => {
    const io = bufferedIo();
    expect(await runCli(['validate', dir], io)).toBe(0);
    expect(io.stdout()).toContain(`read     ${path.join(dir, 'acme.yaml')}`);
    expect(io.stdout()).toContain('1 tenant, all valid');
    h = await startHarness({ tenantsDir: dir });
    expect(await status(keys.acme)).toBe(200);
  });

  it('sees the atomic ..data swap: a tenant added, a key rotated, without a restart', async () => {
    h = await startHarness({ tenantsDir: dir, env: { TENANTS_RELOAD_INTERVAL_MS: '60000' } });
    expect(await status(keys.globex)).toBe(401);
    await writeConfigMapVolume(
      dir,
      {
        'acme.yaml': tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-2', key: 'gdp_rotated_key_for_acme_000000000000' }]),
        'globex.yaml': tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]),
      },
      2,
    );
    await eventually(async () => expect(await status(keys.globex)).toBe(200));
    expect(await status(keys.acme)).toBe(401);
    expect(await status('gdp_rotated_key_for_acme_000000000000')).toBe(200);
  });
});
