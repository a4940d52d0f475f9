import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../../src/tenants/api-key.js';
import { buildRegistry, loadTenantsFromDir, TenantConfigError } from '../../../src/tenants/load-tenants.js';

const DIV1 = 'd0000000-0000-4000-8000-000000000001';
const DIV2 = 'd0000000-0000-4000-8000-000000000002';
const hashA = sha256Hex('key-a');
const hashB = sha256Hex('key-b');
const tenantYaml = (id: string, keyId: string, hash: string, extra = '') =>
  `id: ${id}\nname: ${id}\ndivisions: [${DIV1}]\napiKeys:\n  - id: ${keyId}\n    sha256: ${hash}\n${extra}`;

function problemsOf(files: { file: string; text: string }[]) {
  try {
    buildRegistry(files);
  } catch (error) {
    if (error instanceof TenantConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('tenant files', () => {
  it('loads YAML and JSON files from a folder and finds tenants by key', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tenants-'));
    await writeFile(path.join(dir, 'a.yaml'), tenantYaml('alpha', 'alpha-1', hashA));
    await writeFile(
      path.join(dir, 'b.json'),
      JSON.stringify({ id: 'beta', name: 'Beta', divisions: [DIV2], apiKeys: [{ id: 'beta-1', sha256: hashB }], access: 'read-write' }),
    );
    await writeFile(path.join(dir, 'notes.txt'), 'not a tenant');
    const registry = await loadTenantsFromDir(dir);
    expect(registry.size).toBe(2);
    const lookup = registry.tenantFromApiKey('key-b', Date.now());
    expect(lookup).toMatchObject({ ok: true, tenant: { id: 'beta', access: 'read-write' }, key: { id: 'beta-1' } });
    expect(registry.tenantFromApiKey('key-c', Date.now())).toEqual({ ok: false, reason: 'unknown' });
  });

  it('defaults access to read-only', () => {
    const registry = buildRegistry([{ file: 'a.yaml', text: tenantYaml('alpha', 'alpha-1', hashA) }]);
    expect(registry.tenant('alpha')?.access).toBe('read-only');
  });

  it('refuses expired keys with their own reason', () => {
    const registry = buildRegistry([{ file: 'a.yaml', text: tenantYaml('alpha', 'alpha-1', hashA).replace(hashA, `${hashA}\n    expiresAt: 2020-01-01T00:00:00Z`) }]);
    expect(registry.tenantFromApiKey('key-a', Date.now())).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['a bad tenant id', tenantYaml('Alpha!', 'k', hashA), 'id'],
    ['an empty division list', tenantYaml('alpha', 'k', hashA).replace(`[${DIV1}]`, '[]'), 'divisions'],
    ['a hash that is not lowercase hex', tenantYaml('alpha', 'k', hashA.toUpperCase()), 'apiKeys.0.sha256'],
    ['an unknown field', `${tenantYaml('alpha', 'k', hashA)}colour: blue\n`, 'colour'],
    ['an unknown field of a key', tenantYaml('alpha', 'k', hashA).replace(hashA, `${hashA}\n    owner: bob`), 'apiKeys.0.owner'],
    ['a division id that is not a Genesys id', tenantYaml('alpha', 'k', hashA).replace(DIV1, 'not-a-uuid'), 'divisions.0'],
    ['a division id in capitals', tenantYaml('alpha', 'k', hashA).replace(DIV1, DIV1.toUpperCase()), 'divisions.0'],
    ['a date that does not exist', tenantYaml('alpha', 'k', hashA).replace(hashA, `${hashA}\n    expiresAt: 2027-02-30T00:00:00Z`), 'apiKeys.0.expiresAt'],
    ['a date without a time zone', tenantYaml('alpha', 'k', hashA).replace(hashA, `${hashA}\n    expiresAt: 2027-02-01T00:00:00`), 'apiKeys.0.expiresAt'],
    ['an unknown access level', `${tenantYaml('alpha', 'k', hashA)}access: admin\n`, 'access'],
    ['a date that is not ISO-8601', tenantYaml('alpha', 'k', hashA).replace(hashA, `${hashA}\n    expiresAt: tomorrow`), 'apiKeys.0.expiresAt'],
  ])('names the file and field for %s', (_label, text, field) => {
    const problems = problemsOf([{ file: 'config/tenants/alpha.yaml', text }]);
    expect(problems[0]).toMatchObject({ file: 'config/tenants/alpha.yaml', field });
  });

  it('reports broken YAML with the file name', () => {
    expect(problemsOf([{ file: 'x.yaml', text: 'id: [unclosed' }])[0]).toMatchObject({ file: 'x.yaml' });
  });

  it('gives the line and column of a YAML syntax error', () => {
    const [problem] = problemsOf([{ file: 'x.yaml', text: 'id: alpha\nname: Alpha\ndivisions: [a, b\napiKeys: []\n' }]);
    expect(problem!.message).toMatch(/^not valid YAML\/JSON \(line \d+, column \d+\): /);
  });

  it('names an unknown field, where it is, and the fields there are', () => {
    const [problem] = problemsOf([{ file: 'a.yaml', text: `${tenantYaml('alpha', 'k', hashA)}colour: blue\n` }]);
    expect(problem).toEqual({
      file: 'a.yaml',
      field: 'colour',
      message: 'is not a field of a tenant file (line 7, column 1); the fields are id, name, divisions, apiKeys, access, rateLimit, genesys',
    });
  });

  it('points at the line of a bad value', () => {
    const [problem] = problemsOf([{ file: 'a.yaml', text: tenantYaml('alpha', 'k', hashA).replace(DIV1, 'not-a-uuid') }]);
    expect(problem!.message).toContain('(line 3, column 13)');
  });

  it('accepts real dates with an offset, and keeps them exact', () => {
    const registry = buildRegistry([{ file: 'a.yaml', text: tenantYaml('alpha', 'k', hashA).replace(hashA, `${hashA}\n    expiresAt: 2028-02-29T12:30:00+02:00`) }]);
    expect(registry.keyById('k')?.expiresAt).toBe(Date.parse('2028-02-29T10:30:00Z'));
  });

  it('refuses a tenant id, a key id or a key hash used twice', () => {
    expect(problemsOf([
      { file: 'a.yaml', text: tenantYaml('alpha', 'k1', hashA) },
      { file: 'b.yaml', text: tenantYaml('alpha', 'k2', hashB) },
    ])).toEqual([expect.objectContaining({ file: 'b.yaml', field: 'id' })]);
    expect(problemsOf([
      { file: 'a.yaml', text: tenantYaml('alpha', 'same', hashA) },
      { file: 'b.yaml', text: tenantYaml('beta', 'same', hashB) },
    ])).toEqual([expect.objectContaining({ file: 'b.yaml', field: 'apiKeys.0.id' })]);
    expect(problemsOf([
      { file: 'a.yaml', text: tenantYaml('alpha', 'k1', hashA) },
      { file: 'b.yaml', text: tenantYaml('beta', 'k2', hashA) },
    ])).toEqual([expect.objectContaining({ file: 'b.yaml', field: 'apiKeys.0.sha256' })]);
  });

  it('refuses a folder that cannot be read, naming it', async () => {
    await expect(loadTenantsFromDir('/nonexistent/tenants')).rejects.toThrow(/\/nonexistent\/tenants/);
  });

  it('ships demo tenant files that load', async () => {
    const registry = await loadTenantsFromDir('config/tenants');
    expect(registry.list().map((t) => t.id).sort()).toEqual(['acme', 'globex']);
  });

  describe('the optional genesys block', () => {
    const withClient = (block: string) => [{ file: '/etc/tenants/a.yaml', text: tenantYaml('alpha', 'alpha-1', hashA, `genesys:\n${block}`) }];
    beforeEach(() => {
      process.env['GDP_UNIT_TENANT_SECRET'] = 's3cret';
    });
    afterEach(() => {
      delete process.env['GDP_UNIT_TENANT_SECRET'];
    });

    it('names the client and where its secret comes from, never the secret', () => {
      const registry = buildRegistry(withClient('  clientId: bpo-alpha\n  clientSecretFrom: { env: GDP_UNIT_TENANT_SECRET }\n'));
      expect(registry.tenant('alpha')?.genesysClient).toEqual({ clientId: 'bpo-alpha', secretFrom: { env: 'GDP_UNIT_TENANT_SECRET' } });
      expect(JSON.stringify(registry.list())).not.toContain('s3cret');
      expect(buildRegistry([{ file: 'b.yaml', text: tenantYaml('beta', 'beta-1', hashB) }]).tenant('beta')?.genesysClient).toBeUndefined();
    });

    it('refuses an inline secret, a missing variable, an unreadable file and a client two tenants name', async () => {
      expect(problemsOf(withClient('  clientId: bpo-alpha\n  clientSecret: s3cret\n'))).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'genesys.clientSecret' }), expect.objectContaining({ field: 'genesys.clientSecretFrom' })]),
      );
      expect(problemsOf(withClient('  clientId: bpo-alpha\n  clientSecretFrom: { env: GDP_UNIT_TENANT_UNSET }\n'))).toEqual([
        { file: '/etc/tenants/a.yaml', field: 'genesys.clientSecretFrom', message: 'environment variable GDP_UNIT_TENANT_UNSET is not set or empty' },
      ]);
      expect(problemsOf(withClient('  clientId: bpo-alpha\n  clientSecretFrom: { file: missing-secret }\n'))).toEqual([
        expect.objectContaining({ field: 'genesys.clientSecretFrom', message: expect.stringContaining('/etc/tenants/missing-secret cannot be read') }),
      ]);
      const block = 'genesys:\n  clientId: bpo-shared\n  clientSecretFrom: { env: GDP_UNIT_TENANT_SECRET }\n';
      expect(problemsOf([{ file: 'a.yaml', text: tenantYaml('alpha', 'alpha-1', hashA, block) }, { file: 'b.yaml', text: tenantYaml('beta', 'beta-1', hashB, block) }])).toEqual([
        { file: 'b.yaml', field: 'genesys.clientId', message: 'Genesys client "bpo-shared" is already used in a.yaml' },
      ]);
    });

    it('reads a secret file relative to the tenant file', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'tenants-'));
      await writeFile(path.join(dir, 'alpha.secret'), 's3cret\n');
      await writeFile(path.join(dir, 'a.yaml'), tenantYaml('alpha', 'alpha-1', hashA, 'genesys:\n  clientId: bpo-alpha\n  clientSecretFrom: { file: alpha.secret }\n'));
      const registry = await loadTenantsFromDir(dir);
      expect(registry.tenant('alpha')?.genesysClient?.secretFrom).toEqual({ file: path.join(dir, 'alpha.secret') });
    });
  });
});
