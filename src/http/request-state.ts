import type { Response } from 'express';
import type { ApiKeyRecord, Tenant } from '../tenants/tenant.js';
import type { RouteMatch } from '../scoping/policy.js';
import type { TenantScope } from '../scoping/scope.js';
import type { RowMeter } from '../executor/upstream-calls.js';

/** What the middleware chain learns about one request; also what the audit line reports. */
export interface RequestState {
  correlationId: string;
  readonly startedAt: bigint;
  path?: string;
  rawQuery?: string;
  tenant?: Tenant;
  key?: ApiKeyRecord;
  scope?: TenantScope;
  match?: RouteMatch;
  upstreamCalls: number;
  /** Time spent waiting for Genesys, in milliseconds. */
  upstreamMs: number;
  upstreamStatus?: number;
  scopedBy?: RowMeter['scopedBy'];
  entitiesReturned?: number;
  entitiesRemoved?: number;
  /** Why the request was refused, for the audit log (never shown to the tenant beyond the error). */
  denial?: string;
}

const STATE = Symbol('gateway.state');

type WithState = Response & { [STATE]?: RequestState };

export function initState(res: Response, correlationId: string): RequestState {
  const state: RequestState = { correlationId, startedAt: process.hrtime.bigint(), upstreamCalls: 0, upstreamMs: 0 };
  (res as WithState)[STATE] = state;
  return state;
}

export function stateOf(res: Response): RequestState {
  const state = (res as WithState)[STATE];
  if (!state) throw new Error('request state missing: the correlation middleware must run first');
  return state;
}

/** For the parts of a request only the authenticated, routed stages can reach. */
export function routedStateOf(res: Response): RequestState & Required<Pick<RequestState, 'tenant' | 'scope' | 'match' | 'path'>> {
  const state = stateOf(res);
  if (!state.tenant || !state.scope || !state.match || state.path === undefined) {
    throw new Error('request reached a route handler without tenant, scope and route');
  }
  return state as RequestState & Required<Pick<RequestState, 'tenant' | 'scope' | 'match' | 'path'>>;
}
