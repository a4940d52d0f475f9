import { isStreamed, type GenesysSender, type UpstreamAnswer, type UpstreamRequest, type UpstreamResponse } from '../genesys/upstream-client.js';
import { upstreamFailure } from '../genesys/upstream-errors.js';
import { serializeQuery, type QueryValues } from '../scoping/query.js';

/** What one request spent on Genesys, for its audit line and metrics. */
export interface RowMeter {
  upstreamCalls: number;
  /** Time spent waiting for Genesys, in milliseconds. */
  upstreamMs: number;
  upstreamStatus?: number;
  /**
   * How the answer was scoped, on rows that can scope bytes: copied from Genesys's bytes, streamed,
   * or parsed because the byte scanner could not vouch for it (which operators should not see often).
   */
  scopedBy?: 'bytes' | 'stream' | 'parsed';
}

export interface GenesysCall {
  readonly method: string;
  readonly path: string;
  readonly query?: QueryValues;
  readonly body?: unknown;
  /** May be shared with identical reads, cached and retried once after a short 429; writes never are. */
  readonly read: boolean;
  /** The tenant the call is for: charged to its share of the Genesys budget, shared only with its own reads. */
  readonly tenantId: string;
}

export function pathAndQueryOf(path: string, query: QueryValues | undefined): string {
  const serialized = query ? serializeQuery(query) : '';
  return serialized ? `${path}?${serialized}` : path;
}

/**
 * One call for a tenant's request: counted on its meter, and any answer that is not 2xx becomes
 * the proxy's own error, the same on every row.
 */
export async function callGenesys(client: GenesysSender, meter: RowMeter, correlationId: string, call: GenesysCall): Promise<UpstreamResponse> {
  return metered(meter, () => client.send(upstreamRequest(correlationId, call)));
}

/**
 * The same, for a row that can scope an answer as it arrives: a 2xx answer past the stream
 * threshold comes back streamed (the meter then counts the wait for its first bytes).
 */
export async function callGenesysStreamable(client: GenesysSender, meter: RowMeter, correlationId: string, call: GenesysCall): Promise<UpstreamAnswer> {
  const request = upstreamRequest(correlationId, call);
  return metered(meter, () => (client.sendStreamable ? client.sendStreamable(request) : client.send(request)));
}

function upstreamRequest(correlationId: string, call: GenesysCall): UpstreamRequest {
  return {
    method: call.method,
    pathAndQuery: pathAndQueryOf(call.path, call.query),
    correlationId,
    read: call.read,
    tenantId: call.tenantId,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  };
}

async function metered<T extends UpstreamAnswer>(meter: RowMeter, send: () => Promise<T>): Promise<T> {
  const sentAt = performance.now();
  try {
    const response = await send();
    meter.upstreamCalls += response.calls;
    meter.upstreamStatus = response.status;
    // Only 2xx answers are ever streamed.
    if (!isStreamed(response) && (response.status < 200 || response.status >= 300)) throw upstreamFailure(response.status, response.body, response.headers);
    return response;
  } finally {
    meter.upstreamMs += performance.now() - sentAt;
  }
}

/** Chunked analytics queries go out a few at a time: fast for the tenant, gentle on Genesys's limits. */
const CONCURRENT_CALLS = 4;

/**
 * Makes several calls and returns their answers in order. Any answer that is not 2xx fails the
 * whole request: a partial merge would look complete to the tenant.
 */
export async function callAll(client: GenesysSender, meter: RowMeter, correlationId: string, calls: readonly GenesysCall[]): Promise<UpstreamResponse[]> {
  const responses: UpstreamResponse[] = new Array(calls.length);
  // Waiting time is the wall time of the batch, not the sum of parallel calls.
  const batch: RowMeter = { upstreamCalls: 0, upstreamMs: 0 };
  const sentAt = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      responses[index] = await callGenesys(client, batch, correlationId, calls[index]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_CALLS, calls.length) }, worker));
  } finally {
    meter.upstreamCalls += batch.upstreamCalls;
    if (batch.upstreamStatus !== undefined) meter.upstreamStatus = batch.upstreamStatus;
    meter.upstreamMs += performance.now() - sentAt;
  }
  return responses;
}
