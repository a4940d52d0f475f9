import type { QueryValues } from '../query.js';

/**
 * How an analytics strategy reaches Genesys: one call at a time, answered with the parsed 2xx
 * body (anything else throws the proxy's own error). A test passes a fake.
 */
export interface AnalyticsCall {
  readonly method: 'GET' | 'POST';
  /** Canonical Genesys path, without a query string. */
  readonly path: string;
  readonly query?: QueryValues;
  readonly body?: unknown;
  /** False for calls that must never be answered by another tenant's identical call. */
  readonly share?: boolean;
}

export interface AnalyticsUpstream {
  call(request: AnalyticsCall): Promise<{ readonly status: number; readonly json: unknown }>;
}

/** Chunked analytics queries go out a few at a time: fast for the tenant, gentle on Genesys's limits. */
export const CONCURRENT_CALLS = 4;

/** Makes the calls, a few at a time, and returns the answers in order. */
export async function callEach(upstream: AnalyticsUpstream, calls: readonly AnalyticsCall[]): Promise<unknown[]> {
  const answers: unknown[] = new Array(calls.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls.length) {
      const index = next++;
      answers[index] = (await upstream.call(calls[index]!)).json;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_CALLS, calls.length) }, worker));
  return answers;
}
