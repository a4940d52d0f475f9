import autocannon from 'autocannon';
import { percentile } from './report.js';
import { connectionShare } from './scenarios.js';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly baseUrl: string;
  /** The scenario's requests; how the connections share them: `connectionShare`. */
  readonly requests: readonly LoadRequest[];
  /** Where in the list this run starts (where the target's previous run stopped). */
  readonly startAt?: number;
  readonly connections: number;
  /** Run for this long, or for `amount` requests; `maxSeconds` bounds both. */
  readonly seconds?: number;
  readonly amount?: number;
  readonly maxSeconds: number;
}

export interface LoadResult {
  /** Requests written, including those still in flight when a timed run stopped. */
  readonly sent: number;
  /**
   * How far through the list the run went: with a share per connection, as far as the busiest
   * connection got (the next run starts past every request this one sent); otherwise `sent`.
   */
  readonly span: number;
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
  const answeredPerClient = new Map<unknown, number>();
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
          client.setRequests(connectionShare(options.requests, options.connections, nextClient++, options.startAt));
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
        const shared = options.requests.length >= options.connections;
        const busiest = Math.max(0, ...answeredPerClient.values());
        resolve({
          sent: result.requests.sent,
          span: shared ? options.connections * (busiest + 1) : result.requests.sent,
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
    instance.on('response', (client: unknown, status: number, _bytes: number, durationMs: number) => {
      answeredPerClient.set(client, (answeredPerClient.get(client) ?? 0) + 1);
      if (status >= 200 && status < 300) latencies.push(durationMs);
    });
    const guard = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
  });
}
