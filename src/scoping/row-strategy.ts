import type { QueryValues } from './query.js';
import type { HttpMethod, RequestInput } from './route-rule.js';
import type { ScopedResponse } from './scope.js';

/** One call a row's own strategy makes to Genesys. */
export interface UpstreamPortCall {
  readonly method: HttpMethod;
  /** Canonical Genesys path, without a query string. */
  readonly path: string;
  readonly query?: QueryValues;
  /** Serialised by the proxy; never the tenant's bytes. */
  readonly body?: unknown;
  /**
   * Is this a read that an identical read in flight (or the read cache) may answer, and that is
   * retried once after a short Genesys 429? Only honoured on read rows; default: yes on read rows,
   * never on write rows.
   */
  readonly share?: boolean;
}

/** A 2xx answer, parsed. A shared answer is deep-frozen: copy before changing it. */
export interface UpstreamPortAnswer {
  readonly status: number;
  readonly json: unknown;
}

/**
 * The only way a row's strategy reaches Genesys. Each call is counted against the request, a
 * non-2xx answer throws the proxy's own error (mapped as on every row), and an answer that is not
 * JSON is a 502. Knows no web framework and no socket: a test passes a fake.
 */
export interface UpstreamPort {
  call(request: UpstreamPortCall): Promise<UpstreamPortAnswer>;
}

/** What a row's own strategy is given: the tenant's scope, the checked request and its facts. */
export interface RowStrategyInput extends RequestInput {
  /** The canonical path the tenant called. */
  readonly path: string;
  /** The validated request body (rows with a `body` rule), otherwise undefined. */
  readonly body: unknown;
}

/**
 * A row that plans its calls while it runs (pages it scans until enough is found, answers
 * regrouped from several queries, figures computed from the tenant's own members) declares
 * `execute` instead of `request`/`response`. It answers the scoped body (200) or `not-found`, or
 * throws a GatewayError; it never sees the tenant's credential or the Genesys token.
 */
export type RowStrategy = (input: RowStrategyInput, upstream: UpstreamPort) => Promise<ScopedResponse>;
