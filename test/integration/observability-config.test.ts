import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../support/harness.js';
import { expressionsIn, exportedMetrics, familyOf, labelsIn, metricNamesIn } from '../support/promql.js';
import { keys } from '../support/tenants.js';

const dashboard = JSON.parse(readFileSync('docker/grafana/dashboards/genesys-division-proxy.json', 'utf8')) as {
  uid: string;
  panels: { id: number; type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; definition?: string }[] };
};
const alerts = parse(readFileSync('docker/prometheus/alerts.yml', 'utf8')) as {
  groups: { name: string; rules: { alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }[] }[];
};
const rules = alerts.groups.flatMap((group) => group.rules);
const sources = [
  ...expressionsIn(dashboard).map((expr) => ({ where: 'dashboard', expr })),
  ...dashboard.templating.list.flatMap((v) => (v.definition ? [{ where: `dashboard variable ${v.name}`, expr: v.definition }] : [])),
  ...rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
];

describe('the Grafana dashboard and the Prometheus alerts', () => {
  let h: Harness;
  let exported: Map<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    const ops = (await h.gateway.listenOperations(0, '127.0.0.1')).url;
    await request(h.url).get('/api/v2/routing/queues?pageSize=1').set('X-API-Key', keys.acme).expect(200);
    await request(h.url).get('/api/v2/routing/skills').set('X-API-Key', keys.acme).expect(403);
    exported = exportedMetrics((await request(ops).get('/metrics').expect(200)).text);
  });
  afterAll(() => h.close());

  it('query only metrics the proxy exports on /metrics', () => {
    expect(sources.length).toBeGreaterThan(30);
    const missing = sources.flatMap(({ where, expr }) => {
      const names = metricNamesIn(expr);
      if (names.length === 0) return [`${where}: names no gdp_ metric: ${expr}`];
      return names.filter((name) => familyOf(name, exported) === undefined).map((name) => `${where}: ${name}`);
    });
    expect(missing).toEqual([]);
  });

  it('use only labels those metrics carry', () => {
    const labelsOf = (name: string): string[] => {
      const family = familyOf(name, exported)!;
      const metric = h.gateway.metrics.registry.getSingleMetric(family) as unknown as { labelNames?: string[] } | undefined;
      return [...(metric?.labelNames ?? []), ...(name.endsWith('_bucket') ? ['le'] : [])];
    };
    const wrong = sources.flatMap(({ where, expr }) => {
      const { selectors, grouping } = labelsIn(expr);
      const selectorProblems = selectors.flatMap(({ metric, labels }) => labels.filter((label) => !labelsOf(metric).includes(label)).map((label) => `${where}: ${metric}{${label}}`));
      const known = new Set(metricNamesIn(expr).flatMap(labelsOf));
      return [...selectorProblems, ...grouping.filter((label) => !known.has(label)).map((label) => `${where}: by (${label})`)];
    });
    expect(wrong).toEqual([]);
  });

  it('are well-formed: unique panel ids with queries, and alerts with a severity and a summary', () => {
    expect(dashboard.uid).toBe('genesys-division-proxy');
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) expect(panel.targets?.length).toBeGreaterThan(0);
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Gdp[A-Za-z]+$/);
      expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
  });

  it('cover what operators asked for', () => {
    const queried = new Set(sources.flatMap(({ expr }) => metricNamesIn(expr).map((name) => familyOf(name, exported))));
    for (const name of [
      'gdp_requests_total',
      'gdp_request_duration_seconds',
      'gdp_tenant_request_duration_seconds',
      'gdp_refusals_total',
      'gdp_tenant_upstream_calls_total',
      'gdp_upstream_budget_per_minute',
      'gdp_genesys_token_requests_total',
      'gdp_redis_up',
      'gdp_directory_last_load_timestamp_seconds',
      'gdp_api_key_expiry_timestamp_seconds',
      'gdp_division_drift_total',
    ]) {
      expect(queried).toContain(name);
    }
  });
});
