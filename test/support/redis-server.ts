import type { ChildProcess } from 'node:child_process';
import { freePort, spawnRedisServer } from './redis-binary.js';

/** The Redis this test run started for itself (test/support/redis-global.js). */
export function testRedisUrl(): string {
  const url = process.env['GDP_TEST_REDIS_URL'];
  if (!url) throw new Error('GDP_TEST_REDIS_URL is not set: run the tests with npm test (jest starts a Redis for the run)');
  return url;
}

/** A throwaway redis-server on a free loopback port, for the test run and for tests that stop and restart Redis. */
export class TestRedisServer {
  #child: ChildProcess | undefined;
  readonly port: number;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.#child = await spawnRedisServer(this.port);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
