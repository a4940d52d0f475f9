import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runCli } from '../../src/cli/run-cli.js';
import { bufferedIo } from '../support/cli-io.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionsOf, keys, tenantYaml } from '../support/tenants.js';
import { eventually } from '../support/wait.js';

describe('hot reload of the tenants folder', () => {
  let h: Harness;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'reload-tenants-'));
    await writeFile(path.join(dir, 'acme.yaml'), tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }]));
    await writeFile(path.join(dir, 'globex.yaml'), tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]));
    h = await startHarness({ tenantsDir: dir });
  });
  afterEach(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (key: string) => (await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', key)).status;

  it('serves a key made with keygen once its lines are pasted into a new file, without a restart', async () => {
    const io = bufferedIo();
    expect(await runCli(['keygen', 'newco'], io)).toBe(0);
    const key = /^\s+(gdp_\S+)$/m.exec(io.stdout())![1]!;
    const entry = io.stdout().slice(io.stdout().indexOf('  - id:'));
    expect(await status(key)).toBe(401);
    await writeFile(path.join(dir, 'newco.yaml'), `id: newco\nname: NewCo\ndivisions: [${divisionsOf.globex[0]}]\napiKeys:\n${entry}`);
    await eventually(async () => expect(await status(key)).toBe(200));
  });

  it('keeps the last good set serving when an edit breaks a file', async () => {
    await writeFile(path.join(dir, 'acme.yaml'), 'id: acme\nname: Acme\ndivisions: not-a-list\n');
    await eventually(() => expect(h.logLines.some((line) => line.includes('reload failed') && line.includes('acme.yaml') && line.includes('divisions'))).toBe(true));
    expect(await status(keys.acme)).toBe(200);
    expect(await status(keys.globex)).toBe(200);
    const metrics = await h.gateway.metrics.registry.getSingleMetricAsString('gdp_tenant_config_reloads_total');
    expect(metrics).toMatch(/outcome="failure"} [1-9]/);
  });

  it('revokes a tenant’s access as soon as its file is removed', async () => {
    expect(await status(keys.globex)).toBe(200);
    await rm(path.join(dir, 'globex.yaml'));
    await eventually(async () => expect(await status(keys.globex)).toBe(401));
    expect(await status(keys.acme)).toBe(200);
  });

  it('reloads on demand (SIGHUP) and reports what it loaded', async () => {
    await writeFile(path.join(dir, 'acme.yaml'), tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-2', key: 'gdp_rotated_key_for_acme_000000000000' }]));
    expect(await h.gateway.reloader.reload()).toEqual({ ok: true, tenants: 2, changed: true });
    expect(await status(keys.acme)).toBe(401);
    expect(await status('gdp_rotated_key_for_acme_000000000000')).toBe(200);
  });
});
