import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { assertOwnValues, impliedValues, restrictFilter, type Filter } from '../filters/analytics-filter.js';
import { filterSchema } from '../filters/analytics-schemas.js';
import { IDS_PER_QUERY, ownedBy } from '../filters/observations.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { project, type Shape } from './projection.js';

/** Users one upstream query may name: 50 clauses of 100 ids, in one filter. */
export const MAX_DETAIL_USERS = 50 * IDS_PER_QUERY;

/** A filter whose predicates are dimension predicates on these dimensions only (400 otherwise). */
function dimensionFilter(dimensions: readonly string[]): z.ZodType<Filter> {
  return filterSchema(['dimension']).refine((filter) => {
    const predicates = [...(filter.predicates ?? []), ...(filter.clauses ?? []).flatMap((clause) => clause.predicates)];
    return predicates.every((predicate) => dimensions.includes((predicate as { dimension?: string }).dimension ?? ''));
  }, `only the dimensions ${dimensions.join(', ')} are accepted here`);
}

const interval = z.string().max(100).regex(/^[^/\s]+\/[^/\s]+$/, 'must be an ISO-8601 interval start/end');

/**
 * `UserDetailsQuery`, strict. The dimensions are the only ones Genesys documents for each list (no
 * `divisionId` exists). `presenceAggregations`/`routingStatusAggregations` are refused: their
 * counts would be taken over whatever users Genesys selected, which the proxy cannot check.
 */
export const userDetailsQuerySchema = z.strictObject({
  interval,
  userFilters: z.array(dimensionFilter(['userId'])).max(20).optional(),
  presenceFilters: z.array(dimensionFilter(['organizationPresenceId', 'systemPresence'])).max(20).optional(),
  routingStatusFilters: z.array(dimensionFilter(['routingStatus'])).max(20).optional(),
  order: z.enum(['asc', 'desc', 'unordered']).optional(),
  paging: z.strictObject({ pageSize: z.number().int().min(1).max(100), pageNumber: z.number().int().min(1) }).optional(),
});

export type UserDetailsQuery = z.infer<typeof userDetailsQuerySchema>;

/**
 * One upstream query whose user filters select only the tenant's users, so that Genesys's paging
 * and `totalHits` count exactly those. A `userId` the tenant names must be its own (403).
 */
export function rewriteUserDetailsQuery(body: UserDetailsQuery, { scope, facts }: RequestInput): RequestPlan {
  const ownIds = facts.users.idsIn(scope.divisions);
  const own = new Set(ownIds);
  const filters = body.userFilters ?? [];
  for (const filter of filters) assertOwnValues(filter, 'userId', (id) => own.has(id));
  let candidates = ownIds;
  for (const filter of filters) {
    const implied = impliedValues(filter, 'userId');
    if (implied !== 'any') candidates = candidates.filter((id) => implied.has(id));
  }
  if (candidates.length === 0) return { kind: 'empty' };
  return forward(new Map(), { ...body, userFilters: restrictUserFilters(filters, candidates) });
}

/**
 * Each tenant filter gets the restriction (so the list means the same whether Genesys ANDs or ORs
 * it); without filters one filter lists the users, 100 to an `or` clause.
 */
function restrictUserFilters(filters: readonly Filter[], ids: readonly string[]): Filter[] {
  if (filters.length > 0) {
    if (ids.length > IDS_PER_QUERY) throw tooMany(`more than ${IDS_PER_QUERY} users; name the users in the filter or narrow with X-Division-Id`);
    return filters.map((filter) => restrictFilter(filter, 'userId', ids));
  }
  if (ids.length > MAX_DETAIL_USERS) throw tooMany(`more than ${MAX_DETAIL_USERS} users; narrow it with X-Division-Id or a userId filter`);
  if (ids.length <= IDS_PER_QUERY) return [restrictFilter(undefined, 'userId', ids)];
  const clauses = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) clauses.push({ type: 'or' as const, predicates: restrictFilter(undefined, 'userId', ids.slice(i, i + IDS_PER_QUERY)).predicates! });
  return [{ type: 'or', clauses }];
}

function tooMany(detail: string): GatewayError {
  return new GatewayError('body.invalid', { message: `The query covers ${detail}.` });
}

const userDetail: Shape = {
  userId: 'scalar',
  primaryPresence: [{ startTime: 'scalar', endTime: 'scalar', systemPresence: 'scalar', organizationPresenceId: 'scalar' }],
  routingStatus: [{ startTime: 'scalar', endTime: 'scalar', routingStatus: 'scalar' }],
};

/**
 * Every user in the answer must be the tenant's. One that is not means Genesys did not apply the
 * restriction, so `totalHits` and the paging count other tenants' users: the answer is refused
 * (502) rather than trimmed into a page whose totals lie.
 */
export function scopeUserDetails(body: unknown, context: ResponseContext): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('a user details answer that is not an object');
  const details = body['userDetails'] ?? [];
  if (!Array.isArray(details)) throw new UnexpectedShapeError('userDetails that is not an array');
  const own = ownedBy(context.facts.users, context.scope);
  if (!details.every((detail) => isRecord(detail) && typeof detail['userId'] === 'string' && own(detail['userId']))) {
    throw new UnexpectedShapeError('user details of a user the query did not select');
  }
  const scoped: Record<string, unknown> = { userDetails: details.map((detail) => project(detail, userDetail)) };
  if (typeof body['totalHits'] === 'number') scoped['totalHits'] = body['totalHits'];
  return { kind: 'ok', body: scoped, kept: details.length, removed: 0 };
}

export const emptyUserDetails = (): unknown => ({ userDetails: [], totalHits: 0 });
