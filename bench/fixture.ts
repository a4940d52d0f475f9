import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { divisionId, queueId } from '../src/simulator/seed-ids.js';
import type { SeedOptions } from '../src/simulator/index.js';
import { generateApiKey, sha256Hex } from '../src/tenants/api-key.js';

/**
 * The org the benchmark runs against. Ten BPO tenants own two divisions each, so that every
 * tenant has exactly 500 queues (the 500-queue listing is all of them) and 200 conversations.
 * One more tenant owns a division padded with extra queues for the large-answer scenario.
 */
export const TENANT_COUNT = 10;
export const QUEUES_PER_DIVISION = 250;
export const BULK_DIVISION = 2 * TENANT_COUNT + 1;
export const SEED: SeedOptions = {
  queuesPerDivision: QUEUES_PER_DIVISION,
  usersPerDivision: 12,
  conversationsPerDivision: 100,
  // Divisions 0 (Home) to 4 are fixed; the extra ones take the count up to the bulk division.
  extraDivisions: BULK_DIVISION - 4,
};
export const CLIENT_ID = 'bench-client-id';
export const CLIENT_SECRET = 'bench-client-secret';
/** Size of the scoped answer of the large-answer scenario. */
export const LARGE_ANSWER_BYTES = Number(process.env['BENCH_LARGE_MIB'] ?? 20) * 1024 * 1024;

export interface BenchTenant {
  readonly id: string;
  readonly key: string;
  readonly divisions: readonly string[];
  /** Every queue of the tenant, the two divisions' alternating (what its schedulers watch, 25 at a time). */
  readonly queues: readonly string[];
}

export function benchTenants(): { bpos: BenchTenant[]; bulk: BenchTenant } {
  const bpos = Array.from({ length: TENANT_COUNT }, (_, i) => {
    const first = 2 * i + 1;
    const queues = Array.from({ length: 2 * QUEUES_PER_DIVISION }, (_, n) => queueId(first + (n % 2), 1 + Math.floor(n / 2)));
    return {
      id: `bpo-${String(i + 1).padStart(2, '0')}`,
      key: generateApiKey(),
      divisions: [divisionId(first), divisionId(first + 1)],
      queues,
    };
  });
  const bulk = { id: 'bulk', key: generateApiKey(), divisions: [divisionId(BULK_DIVISION)], queues: [] };
  return { bpos, bulk };
}

function tenantYaml(tenant: BenchTenant): string {
  return [
    `id: ${tenant.id}`,
    `name: ${tenant.id} BPO`,
    `divisions: [${tenant.divisions.join(', ')}]`,
    'apiKeys:',
    `  - id: ${tenant.id}-bench`,
    `    sha256: ${sha256Hex(tenant.key)}`,
    'access: read-only',
    '',
  ].join('\n');
}

/** A temporary tenants folder; `remove` is synchronous so that any exit path can call it. */
export async function writeTenantsDir(tenants: readonly BenchTenant[]): Promise<{ dir: string; remove: () => void }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gdp-bench-tenants-'));
  await Promise.all(tenants.map((tenant) => writeFile(path.join(dir, `${tenant.id}.yaml`), tenantYaml(tenant))));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
