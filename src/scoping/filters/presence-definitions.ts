import { GatewayError } from '../../errors.js';
import { withValues } from '../query.js';
import type { RequestInput, RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse, type TenantScope } from '../scope.js';
import { ownedListing } from './listing.js';

/**
 * Presence definitions are the org's reference data: observations qualify `oUserPresences` by
 * their ids, so a scheduler needs their names. A definition assigned to no division is org-wide
 * and every tenant sees it; one assigned to a division is shown only to that division's tenant.
 */
export const PRESENCE_DEFINITIONS_PATH = '/api/v2/presence/definitions';

const DEFINITION_FIELDS = ['id', 'name', 'type', 'languageLabels', 'systemPresence', 'deactivated', 'selfUri'];
/** The deprecated listing's shape (OrganizationPresence); its users (`createdBy`, `modifiedBy`) stay behind. */
const LEGACY_FIELDS = ['id', 'name', 'languageLabels', 'systemPresence', 'deactivated', 'primary', 'selfUri'];

function definitions(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body['entities']) || !body['entities'].every(isRecord)) throw new UnexpectedShapeError('a presence definition listing without entities');
  return body['entities'];
}

function visible(definition: Record<string, unknown>, scope: TenantScope): boolean {
  const division = definition['divisionId'];
  return division === undefined || (typeof division === 'string' && scope.divisions.has(division));
}

function project(definition: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (definition[field] !== undefined) out[field] = definition[field];
  return out;
}

/** `GET /api/v2/presence/definitions`: `{total, entities}` of the definitions the tenant may see. */
export function scopePresenceDefinitions(body: unknown, context: ResponseContext): ScopedResponse {
  const all = definitions(body);
  const kept = all
    .filter((definition) => visible(definition, context.scope))
    .map((definition) => ({ ...project(definition, DEFINITION_FIELDS), ...(definition['divisionId'] !== undefined ? { divisionId: definition['divisionId'] } : {}) }));
  return { kind: 'ok', body: { total: kept.length, entities: kept }, kept: kept.length, removed: all.length - kept.length };
}

const LEGACY_DELETED: Readonly<Record<string, readonly string[]>> = { false: ['false'], true: ['true'], all: ['false', 'true'] };

/**
 * `GET /api/v2/presencedefinitions` (deprecated, still in the SDK) is served from the current
 * listing, which says which division a definition belongs to; the old one does not.
 */
export function planLegacyPresenceDefinitions({ query }: RequestInput): RequestPlan {
  const deleted = (query.get('deleted')?.[0] ?? 'false').toLowerCase();
  const deactivated = LEGACY_DELETED[deleted];
  if (!deactivated) throw new GatewayError('query.invalid', { message: 'deleted must be TRUE, FALSE or ALL.' });
  const locale = query.get('localeCode');
  return {
    kind: 'forward',
    calls: deactivated.map((value) => ({ path: PRESENCE_DEFINITIONS_PATH, query: withValues(locale ? new Map([['localeCode', locale]]) : new Map(), 'deactivated', [value]) })),
  };
}

export function mergePresenceDefinitions(bodies: readonly unknown[]): unknown {
  return { entities: bodies.flatMap(definitions) };
}

/** The deprecated listing, paged by the proxy over the definitions the tenant may see. */
export function scopeLegacyPresenceDefinitions(body: unknown, context: ResponseContext): ScopedResponse {
  const all = definitions(body);
  const kept = all.filter((definition) => visible(definition, context.scope)).map((definition) => project(definition, LEGACY_FIELDS));
  const whole = (name: string, fallback: number) => {
    const value = Number(context.query.get(name)?.[0] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new GatewayError('query.invalid', { message: `${name} must be a positive whole number.` });
    return value;
  };
  const pageSize = whole('pageSize', 25);
  const pageNumber = whole('pageNumber', 1);
  const page = kept.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { kind: 'ok', body: ownedListing(context, page, pageSize, pageNumber, kept.length), kept: page.length, removed: all.length - kept.length };
}
