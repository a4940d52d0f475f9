import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';
import { RedisProcess, waitFor } from './redis-process.js';

/** How long a silent node takes to be called failing; small, so a test's failover takes seconds. */
const NODE_TIMEOUT_MS = 1_000;

/** [start, end, [host, port, id], ...replicas] as CLUSTER SLOTS answers. */
type SlotRange = [number, number, [string, number, string], ...unknown[]];

/**
 * A Redis Cluster for one test file: three primaries with one replica each, on free loopback ports
 * (the cluster bus on a second free port per node), created with `redis-cli --cluster create`.
 */
export class TestRedisCluster {
  readonly #dir: string;
  readonly nodes: RedisProcess[];

  private constructor(dir: string, nodes: RedisProcess[]) {
    this.#dir = dir;
    this.nodes = nodes;
  }

  static async start(): Promise<TestRedisCluster> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gdp-cluster-'));
    const nodes: RedisProcess[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const port = await freePort();
        const busPort = await freePort();
        const args = [
          '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1',
          '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0',
          '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
          '--logfile', path.join(dir, `node-${port}.log`),
        ];
        nodes.push(await RedisProcess.start(port, args, { cwd: dir }));
      }
      await promisify(execFile)('redis-cli', ['--cluster', 'create', ...nodes.map((n) => n.address), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
      const cluster = new TestRedisCluster(dir, nodes);
      await cluster.#waitUntilHealthy(20_000);
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((n) => n.kill()));
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** `host:port,...` of every node, as REDIS_CLUSTER_NODES takes it. */
  get nodeAddresses(): string {
    return this.nodes.map((n) => n.address).join(',');
  }

  get liveNodes(): RedisProcess[] {
    return this.nodes.filter((n) => n.isRunning);
  }

  /** The primary that serves `key` now. */
  async primaryOf(key: string): Promise<RedisProcess> {
    const asker = this.liveNodes[0]!;
    const slot = Number(await asker.command('CLUSTER', 'KEYSLOT', key));
    const ranges = (await asker.command('CLUSTER', 'SLOTS')) as SlotRange[];
    const owner = ranges.find(([start, end]) => slot >= start && slot <= end);
    const node = this.nodes.find((n) => n.port === owner?.[2][1]);
    if (!node) throw new Error(`no node serves slot ${slot}`);
    return node;
  }

  /** Kills by its pid, as a crash, the primary serving `key`. */
  async killPrimaryOf(key: string): Promise<RedisProcess> {
    const killed = await this.primaryOf(key);
    await killed.kill();
    return killed;
  }

  /** Waits until another node serves `key`'s slot and the cluster is whole again; returns that node. */
  async waitForPromotion(key: string, killed: RedisProcess, timeoutMs = 20_000): Promise<RedisProcess> {
    const promoted = await waitFor(
      'a replica to take over the dead primary’s slots',
      async () => {
        const owner = await this.primaryOf(key);
        return owner !== killed && owner.isRunning ? owner : undefined;
      },
      timeoutMs,
    );
    await this.#waitUntilHealthy(timeoutMs);
    return promoted;
  }

  /** How many commands the running nodes refused with `code` (INFO errorstats), e.g. CROSSSLOT. */
  async errorCount(code: string): Promise<number> {
    let total = 0;
    for (const node of this.liveNodes) {
      const stats = String(await node.command('INFO', 'errorstats'));
      const match = new RegExp(`errorstat_${code}:count=(\\d+)`).exec(stats);
      total += match ? Number(match[1]) : 0;
    }
    return total;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    await rm(this.#dir, { recursive: true, force: true });
  }

  /** Until every running node says `cluster_state:ok`, all slots are served and every replica is in sync. */
  async #waitUntilHealthy(timeoutMs: number): Promise<void> {
    await waitFor(
      'the cluster to be healthy',
      async () => {
        for (const node of this.liveNodes) {
          const info = String(await node.command('CLUSTER', 'INFO'));
          if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) return undefined;
          const role = (await node.command('ROLE')) as unknown[];
          if (role[0] === 'slave' && role[3] !== 'connected') return undefined;
        }
        return true;
      },
      timeoutMs,
    );
  }
}
