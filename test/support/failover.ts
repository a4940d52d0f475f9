import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Gateway } from '../../src/gateway.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import type { TenantRegistry } from '../../src/tenants/tenant-registry.js';
import { startHarness, startReplica, type Harness, type Replica } from './harness.js';
import { divisionsOf, keys, tenantYaml } from './tenants.js';
import { eventually } from './wait.js';

/** Tenants limited to 6 requests a minute, each kept for one check that a limit is counted once across replicas. */
export const countedKeys = ['gdp_test_counted_a_key_0000000000000000000000000', 'gdp_test_counted_b_key_0000000000000000000000000'] as const;

/** Acme and Globex as usual, and the limited tenants of `countedKeys`. */
export function failoverTenants(): TenantRegistry {
  return buildRegistry([
    { file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }]) },
    { file: 'globex.yaml', text: tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }]) },
    ...countedKeys.map((key, i) => ({
      file: `counted-${i}.yaml`,
      text: `${tenantYaml(`counted-${i}`, divisionsOf.globex, [{ id: `counted-${i}-1`, key }])}rateLimit: { requestsPerMinute: 6 }\n`,
    })),
  ]);
}

/** What `alternate` answers for a tenant limited to 6 a minute when both replicas count against one limit. */
export const COUNTED_ONCE = [200, 200, 200, 200, 200, 200, 429, 429];

export interface Traffic {
  /** Stops sending and returns the status of every answer, in order (0: no answer at all). */
  stop(): Promise<number[]>;
}

/** One tenant request every `intervalMs`, alternating between the replicas, until stopped. */
export function steadyTraffic(urls: readonly string[], intervalMs = 100): Traffic {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const res = await request(urls[i % urls.length]!).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).catch(() => ({ status: 0 }));
      statuses.push(res.status);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return statuses;
    },
  };
}

/** The value of `gdp_redis_up` as the replica exports it. */
export async function redisUpGauge(gateway: Gateway): Promise<number> {
  const text = await gateway.metrics.registry.getSingleMetricAsString('gdp_redis_up');
  return Number(/^gdp_redis_up (\d+)$/m.exec(text)?.[1]);
}

let pageNumber = 0;

/**
 * Statuses of `count` reads by `key`, alternating between the replicas, one after another. Each asks
 * for another page, so no read is answered from the read cache and each reaches Genesys.
 */
export async function alternate(urls: readonly string[], key: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const target = `/api/v2/routing/queues?pageSize=1&pageNumber=${++pageNumber}`;
    statuses.push((await request(urls[i % urls.length]!).get(target).set('X-API-Key', key)).status);
  }
  return statuses;
}

export interface TwoReplicas {
  readonly h: Harness;
  readonly b: Replica;
  readonly urls: readonly string[];
  /** Whether each replica shares state through Redis now. */
  redisUp(): [boolean, boolean];
  close(): Promise<void>;
}

/**
 * Two proxy replicas on one simulator, sharing state through the Redis that `env` names, serving
 * `failoverTenants` under a key prefix of their own, with a Genesys budget too large to interfere.
 */
export async function startTwoReplicas(env: Record<string, string>): Promise<TwoReplicas> {
  const shared = {
    REDIS_KEY_PREFIX: `gdp-failover:${randomUUID()}:`,
    UPSTREAM_REQUESTS_PER_MINUTE: '100000',
    // A loaded test machine may take longer than the default 150 ms for a command, and one command
    // falling back to per-replica state would look like a failure to share; failovers are not timeouts.
    REDIS_COMMAND_TIMEOUT_MS: '1000',
    ...env,
  };
  const tenants = failoverTenants();
  const h = await startHarness({ env: shared, tenants });
  const b = await startReplica(h, shared, tenants);
  const pair: TwoReplicas = {
    h,
    b,
    urls: [h.url, b.url],
    redisUp: () => [h.gateway.redis?.isUp === true, b.gateway.redis?.isUp === true],
    async close() {
      await b.close();
      await h.close();
    },
  };
  await eventually(() => expect(pair.redisUp()).toEqual([true, true]));
  return pair;
}
