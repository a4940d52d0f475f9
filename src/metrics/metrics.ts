import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KeyExpiry } from '../tenants/key-expiry-watch.js';
import { PROXY_VERSION } from '../version.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every metric the proxy exports, on a registry of its own (no global state, so tests and several
 * proxies in one process do not collide). Tenant ids appear as labels: serve these on the
 * operations port only, never on the port tenants reach.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'gdp_requests_total',
    help: 'Tenant requests by tenant, route pattern and status.',
    labelNames: ['tenant', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'gdp_request_duration_seconds',
    help: 'Time from request to response, by route pattern.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly overheadDuration = new Histogram({
    name: 'gdp_proxy_overhead_seconds',
    help: 'Time the proxy itself spent on a request (total minus waiting for Genesys), by route pattern.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gdp_upstream_duration_seconds',
    help: 'Time waiting for Genesys on a tenant request, by route pattern.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly entitiesRemoved = new Counter({
    name: 'gdp_scoping_removed_entities_total',
    help: 'Entities dropped from Genesys answers because they were outside the tenant’s divisions.',
    labelNames: ['tenant', 'route'] as const,
    registers: [this.registry],
  });

  readonly scopedAnswers = new Counter({
    name: 'gdp_scoped_answers_total',
    help: 'Answers of rows that scope Genesys’s bytes, by how: bytes (copied), stream (copied as it arrived), parsed (the byte scanner could not read the listing’s envelope; the reference answered).',
    labelNames: ['route', 'by'] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'gdp_upstream_calls_total',
    help: 'Calls to the Genesys API made for tenant requests.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly tokenRequests = new Counter({
    name: 'gdp_genesys_token_requests_total',
    help: 'Client-credentials logins to Genesys, by outcome and client (`proxy`, or a tenant’s own client id).',
    labelNames: ['outcome', 'client'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'gdp_cache_lookups_total',
    help: 'Lookups in the proxy’s caches (queue directory, …), by cache and result.',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'gdp_rate_limit_rejections_total',
    help: 'Tenant requests refused with 429, by tenant and limit.',
    labelNames: ['tenant', 'limit'] as const,
    registers: [this.registry],
  });

  readonly genesysCalls = new Counter({
    name: 'gdp_genesys_calls_total',
    help: 'HTTP calls made to Genesys, charged to the shared budget, by reason (tenant, directory, token) and tenant (empty for the proxy’s own).',
    labelNames: ['reason', 'tenant'] as const,
    registers: [this.registry],
  });

  readonly budgetRemaining = new Gauge({
    name: 'gdp_genesys_budget_remaining',
    help: 'Calls left in the shared Genesys budget after the last charged call.',
    registers: [this.registry],
  });

  readonly credentialsThrottled = new Counter({
    name: 'gdp_credential_failures_throttled_total',
    help: 'Failed credentials answered 429 because their client address (or key id) failed too often.',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });

  readonly configReloads = new Counter({
    name: 'gdp_tenant_config_reloads_total',
    help: 'Reloads of the tenant files, by outcome (a failed reload keeps the last good set).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly tenants = new Gauge({
    name: 'gdp_tenants',
    help: 'Tenants in the configuration being served.',
    registers: [this.registry],
  });

  readonly tenantClientDivisions = new Gauge({
    name: 'gdp_tenant_client_division_mismatch',
    help: 'Divisions a tenant’s own Genesys client sees that its file does not list (extra), or does not see that it lists (missing); checked at start and reload.',
    labelNames: ['tenant', 'kind'] as const,
    registers: [this.registry],
  });

  readonly redisUp = new Gauge({
    name: 'gdp_redis_up',
    help: '1 when Redis is configured and reachable, 0 when configured and not, absent when not configured.',
    registers: [this.registry],
  });

  readonly tenantRequestDuration = new Histogram({
    name: 'gdp_tenant_request_duration_seconds',
    help: 'Time from request to response, by tenant (gdp_request_duration_seconds has it by route).',
    labelNames: ['tenant'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly refusals = new Counter({
    name: 'gdp_refusals_total',
    help: 'Requests answered 4xx, by tenant, status and the proxy’s reason (`other` when the proxy recorded none).',
    labelNames: ['tenant', 'status', 'reason'] as const,
    registers: [this.registry],
  });

  readonly tenantUpstreamCalls = new Counter({
    name: 'gdp_tenant_upstream_calls_total',
    help: 'Calls to the Genesys API made for each tenant’s requests (shared and cached reads cost none).',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });

  readonly upstreamBudget = new Gauge({
    name: 'gdp_upstream_budget_per_minute',
    help: 'The Genesys budget in calls per minute all tenants and replicas share: what Genesys last said it allows (inin-ratelimit-allowed), else UPSTREAM_REQUESTS_PER_MINUTE.',
    registers: [this.registry],
  });

  readonly keyExpiry = new Gauge({
    name: 'gdp_api_key_expiry_timestamp_seconds',
    help: 'When each tenant key expires (Unix seconds); keys without an expiry are not listed.',
    labelNames: ['tenant', 'key_id'] as const,
    registers: [this.registry],
  });

  readonly directoryLoaded = new Gauge({
    name: 'gdp_directory_last_load_timestamp_seconds',
    help: 'When the queue or user directory last loaded the org (Unix seconds).',
    labelNames: ['directory'] as const,
    registers: [this.registry],
  });

  readonly directoryEntries = new Gauge({
    name: 'gdp_directory_entries',
    help: 'Objects in the queue or user directory at its last load.',
    labelNames: ['directory'] as const,
    registers: [this.registry],
  });

  readonly divisionDrift = new Counter({
    name: 'gdp_division_drift_total',
    help: 'Queues or users a directory reload found in another division than before.',
    labelNames: ['directory'] as const,
    registers: [this.registry],
  });

  readonly buildInfo = new Gauge({
    name: 'gdp_build_info',
    help: 'Always 1; the labels name the proxy version and the Node.js version running it.',
    labelNames: ['version', 'node'] as const,
    registers: [this.registry],
  });

  #keyExpiries: () => readonly KeyExpiry[] = () => [];

  readonly keySecondsUntilExpiry: Gauge<'tenant' | 'key_id'> = new Gauge({
    name: 'gdp_tenant_key_expiry_seconds',
    help: 'Seconds until each tenant key with an expiresAt expires (negative once expired).',
    labelNames: ['tenant', 'key_id'] as const,
    registers: [this.registry],
    collect: () => {
      this.keySecondsUntilExpiry.reset();
      for (const key of this.#keyExpiries()) this.keySecondsUntilExpiry.set({ tenant: key.tenant, key_id: key.keyId }, Math.round(key.secondsUntilExpiry));
    },
  });

  /** Where the key-expiry gauge reads the keys from at each scrape. */
  observeKeyExpiries(source: () => readonly KeyExpiry[]): void {
    this.#keyExpiries = source;
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.buildInfo.set({ version: PROXY_VERSION, node: process.version }, 1);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'gdp_' });
  }
}
