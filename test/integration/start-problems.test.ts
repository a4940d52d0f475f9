import { spawn } from 'node:child_process';
import net from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger.js';
import { RedisConnection } from '../../src/state/redis/redis-connection.js';
import { freePort } from '../support/ports.js';
import { eventually } from '../support/wait.js';

/** Runs the built proxy until it exits; its output, exit code and how long it ran. */
function runProxy(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/main.js'], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const baseEnv = {
  GENESYS_API_URL: 'http://127.0.0.1:9',
  GENESYS_LOGIN_URL: 'http://127.0.0.1:9',
  GENESYS_CLIENT_ID: 'start-id',
  GENESYS_CLIENT_SECRET: 'start-secret-value',
  TENANTS_DIR: 'config/tenants',
  HOST: '127.0.0.1',
};

describe('problems at start, said so that the fix is obvious', () => {
  it.each(['PORT', 'METRICS_PORT'])('a taken %s stops the start with a message naming the setting, not a stack trace', async (setting) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const ports = { PORT: String(await freePort()), METRICS_PORT: String(await freePort()), [setting]: String(taken) };
      const { code, output } = await runProxy({ ...baseEnv, ...ports });
      expect(code).toBe(1);
      expect(output).toContain(`${setting}: port ${taken} on 127.0.0.1 is already in use by another process; stop it, or set ${setting} to a free port`);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('PORT equal to METRICS_PORT is refused before anything listens', async () => {
    const { code, output } = await runProxy({ ...baseEnv, PORT: '18080', METRICS_PORT: '18080' });
    expect(code).toBe(1);
    expect(output).toContain('METRICS_PORT: is the same port as PORT (18080)');
  });

  it('says once, with the reason, that Redis is unreachable at start', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    });
    const url = `redis://127.0.0.1:${await freePort()}`;
    const connection = new RedisConnection({ target: { kind: 'standalone', url }, keyPrefix: 'gdp-start-test:', commandTimeoutMs: 100, logger: createLogger('info', sink) });
    let failedAttempts = 0;
    connection.client.on('error', () => (failedAttempts += 1));
    try {
      await eventually(() => expect(lines.filter((l) => l.includes('redis unreachable'))).toHaveLength(1), { intervalMs: 20 });
      // Several more reconnects fail after the line: each could have said it again.
      const attemptsAtLine = failedAttempts;
      await eventually(() => expect(failedAttempts).toBeGreaterThanOrEqual(attemptsAtLine + 3), { timeoutMs: 10_000, intervalMs: 20 });
      const said = lines.filter((l) => l.includes('redis unreachable'));
      expect(said).toHaveLength(1);
      expect(JSON.parse(said[0]!)).toMatchObject({ level: 40, reason: 'ECONNREFUSED' });
      expect(said[0]).toContain('redis unreachable at start (ECONNREFUSED)');
    } finally {
      await connection.close();
    }
  });
});
