import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  license: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };

describe('the package', () => {
  it('builds the CLI during npm ci (prepare), where its bin points', () => {
    expect(pkg.scripts['prepare']).toBe('npm run build');
    expect(pkg.scripts['build']).toContain('tsconfig.build.json');
    const bin = pkg.bin['genesys-division-proxy']!;
    const { outDir, rootDir } = build.compilerOptions;
    expect(bin.startsWith(`${outDir}/`)).toBe(true);
    expect(existsSync(path.join(rootDir, path.relative(outDir, bin)).replace(/\.js$/, '.ts'))).toBe(true);
  });

  it('answers npx genesys-division-proxy --version and --help', () => {
    const version = spawnSync('npx', ['--no-install', 'genesys-division-proxy', '--version'], { encoding: 'utf8', timeout: 30_000 });
    expect(version.stdout).toBe(`genesys-division-proxy ${pkg.version}\n`);
    const help = spawnSync('npx', ['--no-install', 'genesys-division-proxy', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('keygen');
  });

  it('states its licence: private, all rights reserved', () => {
    expect(pkg.license).toBe('UNLICENSED');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/All rights reserved/);
  });
});
