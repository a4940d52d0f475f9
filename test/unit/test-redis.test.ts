import { spawnSync } from 'node:child_process';
import { mkdtemp, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testRedisUrl } from '../support/redis-server.js';
import { REDIS_SERVER_MISSING } from '../support/redis-binary.js';

describe('the test run’s own Redis', () => {
  it('is a redis-server this run started on a loopback port of its own, not a shared 6379', () => {
    const url = new URL(testRedisUrl());
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(url.port).not.toBe('6379');
  });

  it('without redis-server on PATH, npm test stops in its first seconds with one line saying how to install it', async () => {
    // A PATH with node, npm and sh, and no redis-server.
    const bin = await mkdtemp(path.join(os.tmpdir(), 'no-redis-bin-'));
    for (const tool of ['node', 'npm', 'sh']) await symlink(which(tool), path.join(bin, tool));
    const started = Date.now();
    const run = spawnSync('npm', ['test'], {
      env: { ...process.env, PATH: bin },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    const lines = run.stderr.split('\n').filter((line) => line.includes('redis-server'));
    expect(lines).toEqual([REDIS_SERVER_MISSING]);
  });
});

function which(tool: string): string {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
}
