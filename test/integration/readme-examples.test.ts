import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../support/harness.js';

const readme = readFileSync('README.md', 'utf8');
const DEMO_URL = 'http://127.0.0.1:8080';
const DEMO_SIMULATOR_URL = 'http://127.0.0.1:9090';
const ACME_KEY = 'gdp_demo_acme_DO-NOT-USE-IN-PRODUCTION_0001';

/** The fenced blocks of one README section, in order, with their language. */
function codeBlocks(heading: string, language: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const section = readme.slice(start + 1, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].filter((m) => m[1] === language).map((m) => m[2]!);
}

function run(command: string, args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the README’s examples, run against the proxy and the simulator with the demo tenants', () => {
  let h: Harness;
  let home: string;
  const acmeQueueNames = () => h.sim.org.queues.filter((q) => q.division.name.startsWith('Acme')).map((q) => q.name);

  beforeAll(async () => {
    h = await startHarness({ tenantsDir: 'config/tenants', simulator: { clientId: 'demo-client-id', clientSecret: 'demo-client-secret' } });
    // The Genesys SDK reads ~/.genesyscloudjavascript/config: give it an empty home.
    home = await mkdtemp(path.join(os.tmpdir(), 'readme-home-'));
  });
  afterAll(async () => {
    await h.close();
    await rm(home, { recursive: true, force: true });
  });

  it('Try it: each curl line answers the tenant’s own queues', async () => {
    const lines = codeBlocks('Try it', 'sh').flatMap((block) => block.split('\n')).filter((line) => line.startsWith('curl '));
    expect(lines).toHaveLength(2);
    const divisionsSeen: string[][] = [];
    for (const line of lines) {
      const { code, stdout } = await run('sh', ['-c', line.replaceAll(DEMO_URL, h.url)], {});
      expect(code).toBe(0);
      const page = JSON.parse(stdout) as { entities: { division: { name: string } }[] };
      expect(page.entities.length).toBeGreaterThan(0);
      divisionsSeen.push([...new Set(page.entities.map((q) => q.division.name))]);
    }
    for (const name of divisionsSeen[0]!) expect(['Acme North', 'Acme South']).toContain(name);
    expect(divisionsSeen[1]).toEqual(['Globex']);
  });

  it('Try it: the command line lists the simulator’s divisions with the credentials given', async () => {
    const line = codeBlocks('Try it', 'sh').flatMap((block) => block.split('\n')).find((l) => l.includes('genesys-division-proxy divisions'))!;
    const { code, stdout, stderr } = await run('sh', ['-c', line.replaceAll(DEMO_SIMULATOR_URL, h.simulator.url)], {});
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('d0000000-0000-4000-8000-000000000001  Acme North');
  });

  it('the JavaScript SDK snippet runs as written (ESM, top-level await) and lists only the tenant’s queues', async () => {
    const [snippet] = codeBlocks('Use the Genesys SDK you already have', 'js');
    // Beside node_modules, so the import resolves as it does in a project that installed the SDK.
    const file = path.join('node_modules', '.cache', `readme-snippet-${process.pid}.mjs`);
    await rm(file, { force: true });
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, snippet!);
    try {
      const { code, stdout, stderr } = await run(process.execPath, [file], { GDP_PROXY_URL: h.url, GDP_API_KEY: ACME_KEY, HOME: home });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const printed = stdout.trim().split('\n');
      expect(printed.length).toBeGreaterThan(0);
      for (const line of printed) expect(line).toMatch(/ \(Acme (North|South)\)$/);
      for (const line of printed) expect(acmeQueueNames()).toContain(line.replace(/ \(.*\)$/, ''));
    } finally {
      await rm(file, { force: true });
    }
  });

  it('the curl login by hand gets a token and lists the tenant’s queues with it', async () => {
    const blocks = codeBlocks('Use the Genesys SDK you already have', 'sh');
    expect(blocks).toHaveLength(1);
    const { code, stdout, stderr } = await run('bash', ['-euo', 'pipefail', '-c', blocks[0]!], { GDP_PROXY_URL: h.url, GDP_API_KEY: ACME_KEY });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const page = JSON.parse(stdout) as { entities: { division: { name: string } }[] };
    expect(page.entities.length).toBeGreaterThan(0);
    for (const queue of page.entities) expect(['Acme North', 'Acme South']).toContain(queue.division.name);
  });
});
