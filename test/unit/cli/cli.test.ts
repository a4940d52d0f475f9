import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../../src/cli/run-cli.js';
import { sha256Hex } from '../../../src/tenants/api-key.js';
import { bufferedIo } from '../../support/cli-io.js';
import { tenantYaml } from '../../support/tenants.js';

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
        'a.yaml': tenantYaml('alpha', ['div-1'], [{ id: 'k1', key: 'x' }]).replace('access: read-only', 'access: admin'),
        'b.yaml': 'id: beta\nname: Beta\ndivisions: []\napiKeys: []\n',
      });
      const io = bufferedIo();
      expect(await runCli(['validate', dir], io)).toBe(1);
      expect(io.stderr()).toContain(`${path.join(dir, 'a.yaml')}: access:`);
      expect(io.stderr()).toContain(`${path.join(dir, 'b.yaml')}: divisions:`);
      expect(io.stderr()).toContain(`${path.join(dir, 'b.yaml')}: apiKeys:`);
    });

    it('reads TENANTS_DIR when no folder is given', async () => {
      const dir = await tenantsFolder({ 'a.yaml': tenantYaml('alpha', ['div-1'], [{ id: 'k1', key: 'x' }]) });
      const io = bufferedIo({ TENANTS_DIR: dir });
      expect(await runCli(['validate'], io)).toBe(0);
      expect(io.stdout()).toContain(`${dir}: 1 tenant, all valid`);
    });
  });

  it('tenants lists ids, key ids, expiries and divisions, and never a hash', async () => {
    const dir = await tenantsFolder({ 'a.yaml': tenantYaml('alpha', ['div-1', 'div-2'], [{ id: 'k-old', key: 'x', expiresAt: '2020-01-01T00:00:00Z' }, { id: 'k-new', key: 'y' }]) });
    const io = bufferedIo();
    expect(await runCli(['tenants', dir], io)).toBe(0);
    expect(io.stdout()).toContain('alpha');
    expect(io.stdout()).toContain('divisions: div-1, div-2');
    expect(io.stdout()).toContain('key k-old: expires 2020-01-01T00:00:00.000Z (EXPIRED)');
    expect(io.stdout()).toContain('key k-new: no expiry');
    expect(io.stdout()).not.toContain(sha256Hex('x'));
  });

  it('whoami names the tenant and key id of a key without printing the key', async () => {
    const dir = await tenantsFolder({ 'a.yaml': tenantYaml('alpha', ['div-1'], [{ id: 'k1', key: 'gdp_secret_value' }]) });
    const io = bufferedIo();
    expect(await runCli(['whoami', 'gdp_secret_value', dir], io)).toBe(0);
    expect(io.stdout()).toBe('tenant alpha (alpha BPO), key k1\n');
    const unknown = bufferedIo();
    expect(await runCli(['whoami', 'gdp_other', dir], unknown)).toBe(1);
    expect(unknown.stderr()).not.toContain('gdp_other');
  });
});
