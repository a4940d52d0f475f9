import { sha256Hex } from '../../src/tenants/api-key.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import type { TenantRegistry } from '../../src/tenants/tenant-registry.js';
import { divisionId } from '../../src/simulator/seed-ids.js';

/** Keys of the test tenants. Acme has two divisions, Globex one; they share none. */
export const keys = {
  acme: 'gdp_test_acme_key_0000000000000000000000000000',
  globex: 'gdp_test_globex_key_000000000000000000000000000',
  expired: 'gdp_test_expired_key_00000000000000000000000000',
} as const;

export const divisionsOf = {
  acme: [divisionId(1), divisionId(2)],
  globex: [divisionId(3)],
} as const;

export function tenantYaml(id: string, divisions: readonly string[], apiKeys: { id: string; key: string; expiresAt?: string }[], access = 'read-only'): string {
  return [
    `id: ${id}`,
    `name: ${id} BPO`,
    `divisions: [${divisions.join(', ')}]`,
    'apiKeys:',
    ...apiKeys.flatMap((k) => [`  - id: ${k.id}`, `    sha256: ${sha256Hex(k.key)}`, ...(k.expiresAt ? [`    expiresAt: ${k.expiresAt}`] : [])]),
    `access: ${access}`,
    '',
  ].join('\n');
}

export function testTenantFiles(): { file: string; text: string }[] {
  return [
    { file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, [{ id: 'acme-1', key: keys.acme }, { id: 'acme-old', key: keys.expired, expiresAt: '2020-01-01T00:00:00Z' }]) },
    { file: 'globex.yaml', text: tenantYaml('globex', divisionsOf.globex, [{ id: 'globex-1', key: keys.globex }], 'read-write') },
  ];
}

export function testTenants(): TenantRegistry {
  return buildRegistry(testTenantFiles());
}
