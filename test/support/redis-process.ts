import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/** Every redis-server a test started and has not stopped: killed by pid if the test process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * One redis-server (or Sentinel) process a test started on a loopback port of its own. It is
 * stopped by its pid, so nothing the test did not start is ever touched.
 */
export class RedisProcess {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #password: string | undefined;
  readonly #exited: Promise<void>;

  private constructor(port: number, child: ChildProcess, password: string | undefined) {
    this.port = port;
    this.#child = child;
    this.#password = password;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.#exited.then(() => running.delete(child));
  }

  /** Starts `redis-server` with `args` (which must include `--port <port>`) and waits until it answers. */
  static async start(port: number, args: readonly string[], options: { cwd: string; password?: string }): Promise<RedisProcess> {
    const child = spawn('redis-server', [...args], { cwd: options.cwd, stdio: 'ignore' });
    running.add(child);
    const started = new RedisProcess(port, child, options.password);
    for (let attempt = 0; attempt < 200; attempt++) {
      if (child.exitCode !== null) throw new Error(`redis-server ${args.join(' ')} exited with ${child.exitCode}`);
      if (await answers(port)) return started;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await started.kill();
    throw new Error(`redis-server on port ${port} did not start`);
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get isRunning(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A client of this one process, for the test to look inside (close it after use). */
  client(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, password: this.#password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  }

  /** Runs one command against this process alone. */
  async command(...args: (string | number)[]): Promise<unknown> {
    const client = this.client();
    try {
      await client.connect();
      return await client.call(String(args[0]), ...args.slice(1));
    } finally {
      client.disconnect();
    }
  }

  /** SIGKILL, as a crash: no shutdown save, no goodbye to replicas or Sentinels. */
  async kill(): Promise<void> {
    if (!this.isRunning) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }
}

/** True when something on the port answers a RESP PING (even with an error such as NOAUTH). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('data', (data) => done(data.length > 0));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('error', () => done(false));
  });
}

/** Polls `check` until it returns a value other than undefined, or throws with `what` when time is up. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
