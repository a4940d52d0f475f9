import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logging/logger.js';
import { Metrics } from '../../../src/metrics/metrics.js';
import { buildRegistry } from '../../../src/tenants/load-tenants.js';
import { KeyExpiryWatch } from '../../../src/tenants/key-expiry-watch.js';
import { TenantStore } from '../../../src/tenants/tenant-store.js';
import { divisionsOf, tenantYaml } from '../../support/tenants.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function watchOf(keys: { id: string; key: string; expiresAt?: string }[]) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
      callback();
    },
  });
  const store = new TenantStore(buildRegistry([{ file: 'acme.yaml', text: tenantYaml('acme', divisionsOf.acme, keys) }]));
  const watch = new KeyExpiryWatch({ store, logger: createLogger('info', sink), now: () => NOW });
  return { watch, lines };
}

describe('key expiry', () => {
  it('warns once per load about a key that has expired or expires within 14 days, and not about later ones', () => {
    const { watch, lines } = watchOf([
      { id: 'old', key: 'gdp_a', expiresAt: '2026-11-20T00:00:00Z' },
      { id: 'soon', key: 'gdp_b', expiresAt: '2026-12-07T11:00:00Z' },
      { id: 'later', key: 'gdp_c', expiresAt: '2026-12-07T13:00:00Z' },
      { id: 'never', key: 'gdp_d' },
    ]);
    watch.check();
    expect(lines.map((l) => [l['level'], l['keyId'], l['expired']])).toEqual([
      [40, 'old', true],
      [40, 'soon', false],
    ]);
    expect(lines[1]!['msg']).toBe('key soon of tenant acme expires at 2026-12-07T11:00:00.000Z (in 14 days); issue a new one with keygen and add it next to this one');
  });

  it('exports the seconds until each key expires as gdp_tenant_key_expiry_seconds', async () => {
    const { watch } = watchOf([
      { id: 'old', key: 'gdp_a', expiresAt: '2026-11-23T11:00:00Z' },
      { id: 'later', key: 'gdp_c', expiresAt: '2026-11-24T12:00:00Z' },
      { id: 'never', key: 'gdp_d' },
    ]);
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeKeyExpiries(() => watch.expiries());
    const text = await metrics.registry.getSingleMetricAsString('gdp_tenant_key_expiry_seconds');
    expect(text).toContain('gdp_tenant_key_expiry_seconds{tenant="acme",key_id="old"} -3600');
    expect(text).toContain('gdp_tenant_key_expiry_seconds{tenant="acme",key_id="later"} 86400');
    expect(text).not.toContain('never');
  });

  it('names the version in gdp_build_info', async () => {
    const text = await new Metrics({ defaultMetrics: false }).registry.getSingleMetricAsString('gdp_build_info');
    expect(text).toMatch(/gdp_build_info\{version="\d+\.\d+\.\d+",node="v\d+\.\d+\.\d+"\} 1/);
  });
});
