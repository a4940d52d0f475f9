/**
 * What the proxy remembers of one finished tenant request, for the operations console and the
 * tenant audit view. Built from the audit line's allowlisted fields: a key id, never a key; the
 * route pattern, never the path (a path can carry an id the tenant may not see, or a pasted key).
 */
export interface RequestRecord {
  /** Epoch milliseconds when the response was done. */
  readonly at: number;
  readonly correlationId: string;
  /** Undefined when the request was refused before a tenant was known (401, malformed). */
  readonly tenantId: string | undefined;
  readonly keyId: string | undefined;
  readonly method: string;
  /** The policy row's path pattern, the proxy's own route, or `unmatched`. */
  readonly route: string;
  readonly status: number;
  readonly upstreamCalls: number;
  readonly entitiesReturned: number | undefined;
  readonly entitiesRemoved: number | undefined;
  /** Why the proxy refused, when it did. */
  readonly denial: string | undefined;
  readonly durationMs: number;
}

export type RequestObserver = (record: RequestRecord) => void;
