import autocannon from 'autocannon';
import { percentile } from './report.js';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly baseUrl: string;
  /** Variants (one per tenant); each connection cycles through them from its own offset. */
  readonly requests: readonly LoadRequest[];
  readonly connections: number;
  /** Run for this long, or for `amount` requests; `maxSeconds` bounds both. */
  readonly seconds?: number;
  readonly amount?: number;
  readonly maxSeconds: number;
}

export interface LoadResult {
  /** Requests written, including those still in flight when a timed run stopped. */
  readonly sent: number;
  readonly responses: number;
  readonly failures: number;
  readonly statusCodes: Record<string, number>;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * One autocannon run. Latencies are collected from autocannon's `response` events, which carry
 * the duration in fractional milliseconds; its own histogram keeps whole milliseconds only,
 * too coarse for sub-millisecond differences.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let nextClient = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds ?? 1 }),
        timeout: 60,
        requests: [...options.requests],
        setupClient: (client) => {
          // Connections start on different tenants, so they do not move in lockstep.
          const offset = nextClient++ % options.requests.length;
          client.setRequests([...options.requests.slice(offset), ...options.requests.slice(0, offset)]);
        },
      },
      (error, result) => {
        clearTimeout(guard);
        if (error) {
          reject(error);
          return;
        }
        const seconds = (performance.now() - started) / 1000;
        const sorted = Float64Array.from(latencies).sort();
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]));
        resolve({
          sent: result.requests.sent,
          responses: result['2xx'],
          failures: result.non2xx + result.errors + result.timeouts,
          statusCodes,
          seconds,
          rps: result['2xx'] / seconds,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, durationMs: number) => {
      if (status >= 200 && status < 300) latencies.push(durationMs);
    });
    const guard = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
  });
}
