import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';
import { RedisProcess, waitFor } from './redis-process.js';

export interface SentinelGroupOptions {
  /** `requirepass` of the primary and the replica (and `masterauth`, `auth-pass` for the Sentinels). */
  readonly password?: string;
  /** `requirepass` of the Sentinels themselves. */
  readonly sentinelPassword?: string;
}

/** How long the Sentinels wait before calling the primary down; small, so a test's failover takes seconds. */
const DOWN_AFTER_MS = 1_000;
/**
 * Also how long a Sentinel leaves a replica alone that replicates from somewhere else: long enough
 * for `cutReplication` to hold through a failover.
 */
const FAILOVER_TIMEOUT_MS = 15_000;

/**
 * A Sentinel-managed primary for one test file: a primary, one replica and three Sentinels
 * (`redis-server --sentinel`, quorum 2) on free loopback ports, configured in a temporary folder.
 */
export class TestSentinelGroup {
  readonly masterName = 'gdp-primary';
  readonly #dir: string;
  readonly sentinels: RedisProcess[];
  #primary: RedisProcess;
  #replica: RedisProcess;

  private constructor(dir: string, primary: RedisProcess, replica: RedisProcess, sentinels: RedisProcess[]) {
    this.#dir = dir;
    this.#primary = primary;
    this.#replica = replica;
    this.sentinels = sentinels;
  }

  static async start(options: SentinelGroupOptions = {}): Promise<TestSentinelGroup> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gdp-sentinel-'));
    const auth = options.password ? ['--requirepass', options.password, '--masterauth', options.password] : [];
    const dataNode = async (name: string, extra: string[]) => {
      const port = await freePort();
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--logfile', path.join(dir, `${name}.log`), ...auth, ...extra];
      return RedisProcess.start(port, args, { cwd: dir, ...(options.password ? { password: options.password } : {}) });
    };
    const primary = await dataNode('primary', []);
    const replica = await dataNode('replica', ['--replicaof', '127.0.0.1', String(primary.port)]);
    const sentinels: RedisProcess[] = [];
    try {
      for (let i = 1; i <= 3; i++) sentinels.push(await startSentinel(dir, i, primary.port, 'gdp-primary', options));
      const group = new TestSentinelGroup(dir, primary, replica, sentinels);
      await group.#waitUntilWatched();
      return group;
    } catch (error) {
      await Promise.all([primary, replica, ...sentinels].map((p) => p.kill()));
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** `host:port,host:port,host:port`, as REDIS_SENTINELS takes it. */
  get sentinelAddresses(): string {
    return this.sentinels.map((s) => s.address).join(',');
  }

  get primary(): RedisProcess {
    return this.#primary;
  }

  get replica(): RedisProcess {
    return this.#replica;
  }

  /**
   * Points the replica at a port nobody listens on: it keeps its data and stays a replica (so the
   * Sentinels will still promote it), but from now on it misses every write to the primary, as a
   * replica lagging behind does when the primary dies.
   */
  async cutReplication(): Promise<void> {
    await this.#replica.command('REPLICAOF', '127.0.0.1', await freePort());
  }

  /** Kills the primary by its pid, as a crash. */
  async killPrimary(): Promise<void> {
    await this.#primary.kill();
  }

  /** Waits until every Sentinel names the replica as the primary and it says so itself; then it is `primary`. */
  async waitForPromotion(timeoutMs = 15_000): Promise<void> {
    const promoted = this.#replica;
    await waitFor(
      'the Sentinels to promote the replica',
      async () => {
        for (const sentinel of this.sentinels) {
          const address = (await sentinel.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName)) as string[] | null;
          if (address?.[1] !== String(promoted.port)) return undefined;
        }
        const role = (await promoted.command('ROLE')) as unknown[];
        return role[0] === 'master' ? true : undefined;
      },
      timeoutMs,
    );
    [this.#primary, this.#replica] = [promoted, this.#primary];
  }

  async stop(): Promise<void> {
    await Promise.all([this.#primary, this.#replica, ...this.sentinels].map((p) => p.kill()));
    await rm(this.#dir, { recursive: true, force: true });
  }

  /** Until the replica is in sync and every Sentinel knows the replica and the two other Sentinels. */
  async #waitUntilWatched(): Promise<void> {
    await waitFor(
      'the replica to sync and the Sentinels to find each other',
      async () => {
        const info = String(await this.#replica.command('INFO', 'replication'));
        if (!info.includes('master_link_status:up')) return undefined;
        for (const sentinel of this.sentinels) {
          const replicas = (await sentinel.command('SENTINEL', 'REPLICAS', this.masterName)) as string[][];
          const others = (await sentinel.command('SENTINEL', 'SENTINELS', this.masterName)) as string[][];
          const healthy = replicas.filter((fields) => flags(fields) === 'slave');
          if (healthy.length !== 1 || others.length !== 2) return undefined;
        }
        return true;
      },
      20_000,
    );
  }
}

async function startSentinel(dir: string, index: number, primaryPort: number, name: string, options: SentinelGroupOptions): Promise<RedisProcess> {
  const port = await freePort();
  const file = path.join(dir, `sentinel-${index}.conf`);
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `logfile ${path.join(dir, `sentinel-${index}.log`)}`,
    `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
    `sentinel down-after-milliseconds ${name} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${name} ${FAILOVER_TIMEOUT_MS}`,
    `sentinel parallel-syncs ${name} 1`,
    ...(options.password ? [`sentinel auth-pass ${name} ${options.password}`] : []),
    ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`, `sentinel sentinel-pass ${options.sentinelPassword}`] : []),
  ];
  // A Sentinel rewrites its configuration file as it learns, so each gets a writable one of its own.
  await writeFile(file, `${lines.join('\n')}\n`);
  return RedisProcess.start(port, [file, '--sentinel'], { cwd: dir, ...(options.sentinelPassword ? { password: options.sentinelPassword } : {}) });
}

function flags(fields: string[]): string | undefined {
  const at = fields.indexOf('flags');
  return at >= 0 ? fields[at + 1] : undefined;
}
