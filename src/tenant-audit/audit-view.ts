import { GatewayError } from '../errors.js';
import { compileQuerySpec, parseQuery } from '../scoping/query.js';
import type { AuditStore, TenantAuditEntry } from './audit-store.js';

/** The proxy's own namespace: Genesys's paths all start with /api/v2, so this can never shadow one. */
export const AUDIT_PATH = '/proxy/v1/audit';

const QUERY = compileQuerySpec({ single: ['since', 'until', 'pageSize', 'cursor'] });
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 25;
const CURSOR = /^\d{1,15}-\d{1,15}$/;

/**
 * One page of a tenant's audit view, newest first. The tenant id comes from the credential, never
 * from the query, so no parameter can name another tenant; an unknown parameter is refused.
 */
export async function auditPage(store: AuditStore, tenantId: string, rawQuery: string): Promise<unknown> {
  const query = parseQuery(rawQuery, QUERY);
  const pageSize = integerIn(query.get('pageSize')?.[0], 'pageSize', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const since = instant(query.get('since')?.[0], 'since');
  const until = instant(query.get('until')?.[0], 'until');
  const cursor = query.get('cursor')?.[0];
  if (cursor !== undefined && !CURSOR.test(cursor)) throw invalid('cursor is not one this route returned');
  const entries = await store.page(tenantId, {
    limit: pageSize,
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(cursor !== undefined ? { before: cursor } : {}),
  });
  const last = entries.at(-1);
  return { entities: entries.map(render), pageSize, ...(entries.length === pageSize && last ? { cursor: last.id } : {}) };
}

function render(entry: TenantAuditEntry): Record<string, unknown> {
  return {
    id: entry.id,
    time: new Date(entry.at).toISOString(),
    method: entry.method,
    route: entry.route,
    status: entry.status,
    ...(entry.entitiesReturned !== undefined ? { entitiesReturned: entry.entitiesReturned } : {}),
    genesysCalls: entry.genesysCalls,
    correlationId: entry.correlationId,
  };
}

function integerIn(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw invalid(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function instant(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || !Number.isFinite(value)) throw invalid(`${name} must be an ISO-8601 date-time such as 2026-11-30T12:00:00Z`);
  return value;
}

function invalid(message: string): GatewayError {
  return new GatewayError('query.invalid', { message: `The query string is not valid for this route: ${message}.` });
}
