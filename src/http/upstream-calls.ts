import type { GenesysClient, UpstreamResponse } from '../genesys/upstream-client.js';
import { upstreamFailure } from '../genesys/upstream-errors.js';
import { serializeQuery } from '../scoping/query.js';
import type { UpstreamCall } from '../scoping/route-rule.js';
import type { RequestState } from './request-state.js';

/** Chunked analytics queries go out a few at a time: fast for the tenant, gentle on Genesys's limits. */
const CONCURRENT_CALLS = 4;

export function pathAndQueryOf(call: UpstreamCall, tenantPath: string): string {
  const query = serializeQuery(call.query);
  const path = call.path ?? tenantPath;
  return query ? `${path}?${query}` : path;
}

/**
 * Makes a plan's calls and returns their answers in order. Any answer that is not 2xx fails the
 * whole request: a partial merge would look complete to the tenant.
 */
export async function callUpstream(
  client: GenesysClient,
  state: RequestState & { path: string },
  method: string,
  calls: readonly UpstreamCall[],
  /** Reads may be shared, cached and retried once after a short Genesys 429; writes never are. */
  readOnly: boolean,
): Promise<UpstreamResponse[]> {
  const responses: UpstreamResponse[] = new Array(calls.length);
  const sentAt = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      const call = calls[index]!;
      const response = await client.send({
        method,
        pathAndQuery: pathAndQueryOf(call, state.path),
        correlationId: state.correlationId,
        read: readOnly,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      });
      state.upstreamCalls += response.calls;
      state.upstreamStatus = response.status;
      if (response.status < 200 || response.status >= 300) throw upstreamFailure(response.status, response.body, response.headers);
      responses[index] = response;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_CALLS, calls.length) }, worker));
  } finally {
    state.upstreamMs += performance.now() - sentAt;
  }
  return responses;
}
