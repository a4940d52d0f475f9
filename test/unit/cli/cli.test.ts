import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../../src/cli/run-cli.js';
import { sha256Hex } from '../../../src/tenants/api-key.js';
import { bufferedIo } from '../../support/cli-io.js';
import { tenantYaml } from '../../support/tenants.js';

const DIV1 = 'd0000000-0000-4000-8000-000000000001';
const DIV2 = 'd0000000-0000-4000-8000-000000000002';

async function tenantsFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cli-tenants-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('the CLI', () => {
  it('prints an overview with every command, and exits 2 without one', async () => {
    const io = bufferedIo();
    expect(await runCli([], io)).toBe(2);
    for (const name of ['keygen', 'validate', 'tenants', 'divisions', 'whoami']) expect(io.stdout()).toContain(name);
  });

  it('prints its version with --version, and the options with --help', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const io = bufferedIo();
      expect(await runCli([flag], io)).toBe(0);
      expect(io.stdout()).toBe(`genesys-division-proxy ${version}\n`);
    }
    const help = bufferedIo();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout()).toContain('--version');
  });

  it('has --help for every command', async () => {
    for (const name of ['keygen', 'validate', 'tenants', 'divisions', 'whoami']) {
      const io = bufferedIo();
      expect(await runCli([name, '--help'], io)).toBe(0);
      expect(io.stdout()).toContain(`Usage: genesys-division-proxy ${name}`);
    }
  });

  it('refuses an unknown command and bad arguments with exit code 2', async () => {
    expect(await runCli(['frobnicate'], bufferedIo())).toBe(2);
    expect(await runCli(['keygen'], bufferedIo())).toBe(2);
    expect(await runCli(['keygen', 'Bad_Id'], bufferedIo())).toBe(2);
    expect(await runCli(['keygen', 'acme', '--expires', 'soon'], bufferedIo())).toBe(2);
    expect(await runCli(['keygen', 'acme', '--colour'], bufferedIo())).toBe(2);
  });

  describe('keygen', () => {
    it('prints a 256-bit prefixed key once, and YAML whose hash matches it', async () => {
      const io = bufferedIo();
      expect(await runCli(['keygen', 'acme', '--expires', '2027-11-01T00:00:00Z'], io)).toBe(0);
      const key = /^\s+(gdp_[A-Za-z0-9_-]{43})$/m.exec(io.stdout())?.[1];
      expect(key).toBeDefined();
      expect(io.stdout().split(key!).length - 1).toBe(1);
      const yamlPart = io.stdout().slice(io.stdout().indexOf('  - id:'));
      const [entry] = parse(yamlPart) as { id: string; sha256: string; expiresAt: string }[];
      expect(entry).toEqual({ id: expect.stringMatching(/^acme-2026-11-23-[0-9a-f]{6}$/), sha256: sha256Hex(key!), expiresAt: '2027-11-01T00:00:00Z' });
    });

    it.each([
      ['in the past', '2026-11-01T00:00:00Z', 'is in the past'],
      ['a day that does not exist', '2027-02-30T00:00:00Z', 'must be a real date'],
      ['without a time zone', '2027-02-01T00:00:00', 'must be a real date'],
    ])('refuses an expiry %s', async (_label, expires, message) => {
      const io = bufferedIo();
      expect(await runCli(['keygen', 'acme', '--expires', expires], io)).toBe(2);
      expect(io.stderr()).toContain(message);
      expect(io.stdout()).not.toContain('gdp_');
    });

    it('makes a different key every time', async () => {
      const a = bufferedIo();
      const b = bufferedIo();
      await runCli(['keygen', 'acme'], a);
      await runCli(['keygen', 'acme'], b);
      expect(a.stdout()).not.toBe(b.stdout());
    });
  });

  describe('validate', () => {
    it('exits 0 on a valid folder', async () => {
      const io = bufferedIo();
      expect(await runCli(['validate', 'config/tenants'], io)).toBe(0);
      expect(io.stdout()).toContain('2 tenants, all valid');
    });

    it('exits 1 with file: field messages for every problem', async () => {
      const dir = await tenantsFolder({
        'a.yaml': tenantYaml('alpha', [DIV1], [{ id: 'k1', key: 'x' }]).replace('access: read-only', 'access: admin'),
        'b.yaml': 'id: beta\nname: Beta\ndivisions: []\napiKeys: []\n',
      });
      const io = bufferedIo();
      expect(await runCli(['validate', dir], io)).toBe(1);
      expect(io.stderr()).toContain(`${path.join(dir, 'a.yaml')}: access:`);
      expect(io.stderr()).toContain(`${path.join(dir, 'b.yaml')}: divisions:`);
      expect(io.stderr()).toContain(`${path.join(dir, 'b.yaml')}: apiKeys:`);
    });

    it('exits 1 on a folder with no tenant file, and lists what it ignored', async () => {
      const dir = await tenantsFolder({ 'acme.yml.bak': 'id: acme', 'notes.txt': 'hello' });
      const io = bufferedIo();
      expect(await runCli(['validate', dir], io)).toBe(1);
      expect(io.stdout()).toContain(`ignored  ${path.join(dir, 'acme.yml.bak')}: not a .yaml, .yml or .json file`);
      expect(io.stdout()).toContain(`ignored  ${path.join(dir, 'notes.txt')}: not a .yaml, .yml or .json file`);
      expect(io.stderr()).toContain(`${dir}: no tenant files (.yaml, .yml or .json): the proxy would refuse every key`);
    });

    it('says which files it read, and warns about expired and expiring keys', async () => {
      const dir = await tenantsFolder({
        'a.yaml': tenantYaml('alpha', [DIV1], [
          { id: 'k-old', key: 'x', expiresAt: '2026-11-01T00:00:00Z' },
          { id: 'k-soon', key: 'y', expiresAt: '2026-12-01T00:00:00Z' },
          { id: 'k-later', key: 'z', expiresAt: '2027-06-01T00:00:00Z' },
        ]),
      });
      const io = bufferedIo();
      expect(await runCli(['validate', dir], io)).toBe(0);
      expect(io.stdout()).toContain(`read     ${path.join(dir, 'a.yaml')}`);
      expect(io.stderr()).toContain('warning: ' + path.join(dir, 'a.yaml') + ': key k-old of tenant alpha expired at 2026-11-01T00:00:00.000Z');
      expect(io.stderr()).toContain('key k-soon of tenant alpha expires at 2026-12-01T00:00:00.000Z (in 8 days)');
      expect(io.stderr()).not.toContain('k-later');
    });

    it('reads TENANTS_DIR when no folder is given', async () => {
      const dir = await tenantsFolder({ 'a.yaml': tenantYaml('alpha', [DIV1], [{ id: 'k1', key: 'x' }]) });
      const io = bufferedIo({ TENANTS_DIR: dir });
      expect(await runCli(['validate'], io)).toBe(0);
      expect(io.stdout()).toContain(`${dir}: 1 tenant, all valid`);
    });
  });

  it('tenants lists ids, key ids, expiries and divisions, and never a hash', async () => {
    const dir = await tenantsFolder({ 'a.yaml': tenantYaml('alpha', [DIV1, DIV2], [{ id: 'k-old', key: 'x', expiresAt: '2020-01-01T00:00:00Z' }, { id: 'k-new', key: 'y' }]) });
    const io = bufferedIo();
    expect(await runCli(['tenants', dir], io)).toBe(0);
    expect(io.stdout()).toContain('alpha');
    expect(io.stdout()).toContain(`divisions: ${DIV1}, ${DIV2}`);
    expect(io.stdout()).toContain('key k-old: expires 2020-01-01T00:00:00.000Z (EXPIRED)');
    expect(io.stdout()).toContain('key k-new: no expiry');
    expect(io.stdout()).not.toContain(sha256Hex('x'));
  });

  it('whoami names the tenant and key id of a key without printing the key', async () => {
    const dir = await tenantsFolder({ 'a.yaml': tenantYaml('alpha', [DIV1], [{ id: 'k1', key: 'gdp_secret_value' }]) });
    const io = bufferedIo();
    expect(await runCli(['whoami', 'gdp_secret_value', dir], io)).toBe(0);
    expect(io.stdout()).toBe('tenant alpha (alpha BPO), key k1\n');
    const unknown = bufferedIo();
    expect(await runCli(['whoami', 'gdp_other', dir], unknown)).toBe(1);
    expect(unknown.stderr()).not.toContain('gdp_other');
  });
});
