import type { Metrics } from '../metrics/metrics.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';

/** Sets `gdp_api_key_expiry_timestamp_seconds` to the keys being served (after start and each reload). */
export function exportKeyExpiry(metrics: Metrics, registry: TenantRegistry): void {
  metrics.keyExpiry.reset();
  for (const tenant of registry.list()) {
    for (const key of tenant.keys) {
      if (key.expiresAt !== undefined) metrics.keyExpiry.set({ tenant: tenant.id, key_id: key.id }, key.expiresAt / 1000);
    }
  }
}
