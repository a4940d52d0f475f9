import type { DriftEvent } from '../drift/division-drift.js';
import type { OrgDirectory } from '../genesys/org-directory.js';
import type { TokenStatus } from '../genesys/token-manager.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';
import type { DivisionNames } from './division-names.js';
import type { RedisStatus } from './redis-status.js';
import type { ReloadEvent, ReloadHistory } from './reload-history.js';
import { emptyCounts, type TenantActivity, type UsageCounts } from './tenant-activity.js';

export interface ConsoleSources {
  readonly tenants: () => TenantRegistry;
  readonly activity: TenantActivity;
  readonly reloads: ReloadHistory;
  readonly drift: { recent(): readonly DriftEvent[] };
  readonly directories: { readonly queues: OrgDirectory; readonly users: OrgDirectory };
  readonly token: () => TokenStatus;
  readonly redis: RedisStatus;
  readonly divisionNames: DivisionNames;
  readonly limits: { readonly upstreamPerMinute: number; readonly defaultTenantPerMinute: number };
  readonly now?: () => number;
}

type Usage = { readonly lastMinute: UsageCounts; readonly lastHour: UsageCounts };

/**
 * Everything the operations console shows, as JSON. Built field by field from what the proxy
 * holds: key ids and expiries but never a key or its hash, the token's expiry but never the
 * token, route patterns but never paths.
 */
export async function consoleState(sources: ConsoleSources): Promise<unknown> {
  const now = (sources.now ?? Date.now)();
  const registry = sources.tenants();
  const names = await sources.divisionNames.current();
  const activity = sources.activity.view();
  const division = (id: string) => ({ id, name: names.get(id) ?? null });
  const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());
  const secondsFrom = (at: number | undefined) => (at === undefined ? null : Math.round((at - now) / 1000));
  const noUse: Usage = { lastMinute: emptyCounts(), lastHour: emptyCounts() };
  const share = Math.max(1, sources.limits.upstreamPerMinute / Math.max(1, registry.size));
  const all = [...activity.usage.values(), activity.unauthenticated];
  const token = sources.token();
  const redis = sources.redis.view();
  return {
    generatedAt: iso(now),
    scope: 'this replica',
    budget: {
      upstreamPerMinute: sources.limits.upstreamPerMinute,
      sharePerTenantPerMinute: round(share),
      upstreamCallsLastMinute: sum(all.map((usage) => usage.lastMinute.upstreamCalls)),
      upstreamCallsLastHour: sum(all.map((usage) => usage.lastHour.upstreamCalls)),
    },
    tenants: registry.list().map((tenant) => ({
      id: tenant.id,
      name: tenant.name,
      access: tenant.access,
      divisions: tenant.divisionIds.map(division),
      keys: tenant.keys.map((key) => ({
        id: key.id,
        expiresAt: iso(key.expiresAt),
        expiresInSeconds: secondsFrom(key.expiresAt),
        expired: key.expiresAt !== undefined && key.expiresAt <= now,
        lastUsedAt: iso(activity.keyLastUsed.get(key.id)),
      })),
      limits: { requestsPerMinute: tenant.requestsPerMinute ?? sources.limits.defaultTenantPerMinute, budgetSharePerMinute: round(share) },
      usage: activity.usage.get(tenant.id) ?? noUse,
    })),
    refusals: {
      lastHour: sumRefusals(all.map((usage) => usage.lastHour)),
      unauthenticatedLastHour: activity.unauthenticated.lastHour.refusals,
      recent: activity.recentRefusals.map((refusal) => ({
        at: iso(refusal.at),
        status: refusal.status,
        tenant: refusal.tenantId ?? null,
        keyId: refusal.keyId ?? null,
        method: refusal.method,
        route: refusal.route,
        reason: refusal.reason ?? null,
        correlationId: refusal.correlationId,
      })),
    },
    directories: (['queues', 'users'] as const).map((name) => {
      const status = sources.directories[name].status();
      return {
        name,
        loadedAt: iso(status.loadedAt),
        ageSeconds: status.loadedAt === undefined ? null : Math.round((now - status.loadedAt) / 1000),
        entries: status.entries,
        lastFailure: status.lastFailure ? { at: iso(status.lastFailure.at), reason: status.lastFailure.reason } : null,
      };
    }),
    genesysToken: {
      held: token.expiresAt !== undefined && token.expiresAt > now,
      expiresInSeconds: secondsFrom(token.expiresAt),
      lastLogin: token.lastLogin ? { at: iso(token.lastLogin.at), outcome: token.lastLogin.outcome, reason: token.lastLogin.reason ?? null } : null,
      retryInSeconds: token.retryAt !== undefined && token.retryAt > now ? secondsFrom(token.retryAt) : null,
    },
    redis: { configured: redis.configured, up: redis.up, since: iso(redis.since) },
    reloads: sources.reloads.list().map((event: ReloadEvent) => ({ ...event, at: iso(event.at) })),
    drift: sources.drift.recent().map((event) => ({
      at: iso(event.at),
      directory: event.directory,
      id: event.id,
      name: event.name,
      from: division(event.fromDivisionId),
      to: division(event.toDivisionId),
      gainedBy: event.gainedBy,
      lostBy: event.lostBy,
    })),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function sumRefusals(counts: readonly UsageCounts[]): Record<string, number> {
  const total: Record<string, number> = { 401: 0, 403: 0, 404: 0, 429: 0 };
  for (const count of counts) for (const [status, n] of Object.entries(count.refusals)) total[status] = (total[status] ?? 0) + n;
  return total;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
