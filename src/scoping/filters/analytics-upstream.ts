import type { UpstreamPort, UpstreamPortCall } from '../row-strategy.js';

/** Chunked analytics queries go out a few at a time: fast for the tenant, gentle on Genesys's limits. */
export const CONCURRENT_CALLS = 4;

/** Makes the calls, a few at a time, and returns the parsed answers in order. */
export async function callEach(upstream: UpstreamPort, calls: readonly UpstreamPortCall[]): Promise<unknown[]> {
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
