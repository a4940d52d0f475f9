import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSimulator, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';
import { rawRequest } from '../support/raw-http.js';
import { eventually } from '../support/wait.js';

const DEMO_ACME_KEY = 'gdp_demo_acme_DO-NOT-USE-IN-PRODUCTION_0001';

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

function startProcess(env: Record<string, string>): Started {
  if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: npm test builds it (npm run build)');
  const child = spawn(process.execPath, ['dist/main.js'], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function startedUrl(started: Started): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = started.output().split('\n').find((l) => l.includes('genesys-division-proxy started'));
    if (line) return (JSON.parse(line) as { url: string }).url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the proxy did not start:\n${started.output()}`);
}

describe('the proxy process', () => {
  let sim: Simulator;
  let simulator: RunningSimulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    sim = createSimulator({ clientId: 'proc-id', clientSecret: 'proc-secret-value' });
    simulator = await sim.listen(0);
    env = {
      GENESYS_API_URL: simulator.url,
      GENESYS_LOGIN_URL: simulator.url,
      GENESYS_CLIENT_ID: 'proc-id',
      GENESYS_CLIENT_SECRET: 'proc-secret-value',
      TENANTS_DIR: 'config/tenants',
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
  });
  afterAll(() => simulator.close());
  afterEach(() => sim.faults.clear());

  it('logs its effective settings once at start, with secrets masked, and the tenant count', async () => {
    const started = startProcess(env);
    await startedUrl(started);
    const line = JSON.parse(started.output().split('\n').find((l) => l.includes('genesys-division-proxy started'))!) as Record<string, unknown>;
    expect(line).toMatchObject({ tenants: 2, settings: { genesysClientSecret: '********', genesysApiUrl: simulator.url } });
    expect(started.output()).not.toContain('proc-secret-value');
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
  });

  it('lets an in-flight request finish on SIGTERM, then exits 0', async () => {
    const started = startProcess(env);
    const url = await startedUrl(started);
    sim.faults.add({ kind: 'delay', ms: 1500, pathPrefix: '/api/v2/routing/queues' });
    const slow = rawRequest(url, '/api/v2/routing/queues', { headers: { 'x-api-key': DEMO_ACME_KEY } });
    // Signalled once the proxy is working on the request (Genesys has seen its first call).
    await eventually(() => expect(sim.requestLog.count({ pathPrefix: '/api/v2/routing/queues' })).toBeGreaterThan(0), { intervalMs: 20 });
    started.child.kill('SIGTERM');
    const res = await slow;
    expect(res.status).toBe(200);
    expect((res.json() as { entities: unknown[] }).entities.length).toBeGreaterThan(0);
    expect(await started.exit).toBe(0);
  });

  it('refuses to start on an invalid tenant file, naming the file and the field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bad-tenants-'));
    await writeFile(path.join(dir, 'broken.yaml'), 'id: broken\nname: Broken\ndivisions: []\napiKeys:\n  - id: k\n    sha256: nothex\n');
    const started = startProcess({ ...env, TENANTS_DIR: dir });
    expect(await started.exit).toBe(1);
    expect(started.output()).toContain(`${path.join(dir, 'broken.yaml')}: divisions`);
    expect(started.output()).toContain(`${path.join(dir, 'broken.yaml')}: apiKeys.0.sha256`);
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    const started = startProcess({ ...env, UPSTREAM_TIMEOUT_MS: 'soon' });
    expect(await started.exit).toBe(1);
    expect(started.output()).toContain('UPSTREAM_TIMEOUT_MS');
    expect(started.output()).not.toContain('proc-secret-value');
  });
});
