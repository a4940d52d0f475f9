import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readTenantFolder, TenantConfigError } from '../../../src/tenants/load-tenants.js';
import { tenantFolderFingerprint } from '../../../src/tenants/tenant-folder.js';
import { writeConfigMapVolume } from '../../support/configmap.js';
import { divisionsOf, keys, tenantYaml } from '../../support/tenants.js';

const acme = tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }]);
const globex = tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]);
const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'tenant-folder-'));

describe('the tenants folder', () => {
  it('reads the files of a ConfigMap volume, which are links through ..data', async () => {
    const dir = await tempDir();
    await writeConfigMapVolume(dir, { 'acme.yaml': acme, 'globex.yaml': globex }, 1);
    const report = await readTenantFolder(dir);
    expect(report.registry.list().map((t) => t.id)).toEqual(['acme', 'globex']);
    expect(report.read).toEqual([path.join(dir, 'acme.yaml'), path.join(dir, 'globex.yaml')]);
    expect(report.ignored).toEqual([]);
  });

  it('follows a folder that is itself a link (git-sync) and sees where it points change', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'rev-1'));
    await mkdir(path.join(root, 'rev-2'));
    await writeFile(path.join(root, 'rev-1', 'acme.yaml'), acme);
    await writeFile(path.join(root, 'rev-2', 'acme.yaml'), acme);
    await symlink('rev-1', path.join(root, 'current'));
    const dir = path.join(root, 'current');
    expect((await readTenantFolder(dir)).registry.size).toBe(1);
    const before = await tenantFolderFingerprint(dir);
    const { rename } = await import('node:fs/promises');
    await symlink('rev-2', path.join(root, 'next'));
    await rename(path.join(root, 'next'), dir);
    expect(await tenantFolderFingerprint(dir)).not.toBe(before);
  });

  it('refuses a link that leads out of the folder, naming it', async () => {
    const outside = await tempDir();
    await writeFile(path.join(outside, 'stolen.yaml'), globex);
    const dir = await tempDir();
    await writeFile(path.join(dir, 'acme.yaml'), acme);
    await symlink(path.join(outside, 'stolen.yaml'), path.join(dir, 'globex.yaml'));
    const error = await readTenantFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantConfigError);
    expect((error as TenantConfigError).problems).toEqual([
      { file: path.join(dir, 'globex.yaml'), field: '', message: expect.stringContaining('links outside the tenants folder') },
    ]);
  });

  it('lists what it ignored and why: other extensions, hidden names, folders, broken links', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'acme.yaml'), acme);
    await writeFile(path.join(dir, 'globex.yaml.bak'), globex);
    await writeFile(path.join(dir, '_draft.yaml'), globex);
    await mkdir(path.join(dir, 'archive.yaml'));
    await symlink('gone.yaml', path.join(dir, 'dangling.yaml'));
    const report = await readTenantFolder(dir);
    expect(report.read).toEqual([path.join(dir, 'acme.yaml')]);
    expect(report.ignored).toEqual([
      { file: path.join(dir, '_draft.yaml'), reason: 'the name starts with "." or "_"' },
      { file: path.join(dir, 'archive.yaml'), reason: 'not a regular file' },
      { file: path.join(dir, 'dangling.yaml'), reason: 'a link to nothing' },
      { file: path.join(dir, 'globex.yaml.bak'), reason: 'not a .yaml, .yml or .json file' },
    ]);
  });
});
