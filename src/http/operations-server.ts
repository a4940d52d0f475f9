import http from 'node:http';
import type { Metrics } from '../metrics/metrics.js';
import type { OperationsPages } from '../operations/console-routes.js';
import type { ReadinessCheck } from './health.js';

/**
 * The operations listener: `/metrics`, `/healthz`, `/readyz` and the console on a port of their
 * own, so the metrics and the console (which name tenants) are never reachable from the port
 * tenants use.
 */
export function createOperationsServer(metrics: Metrics, readiness: readonly ReadinessCheck[], pages?: OperationsPages): http.Server {
  return http.createServer((req, res) => {
    void answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(text);
      return;
    }
    if (path === '/healthz') {
      json(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      const report = await readinessReport(readiness);
      json(res, report.ready ? 200 : 503, report.body);
      return;
    }
    const page = pages?.(path ?? '');
    if (page) {
      const { contentType, body, headers } = await page();
      res.writeHead(200, { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' }).end(body);
      return;
    }
    json(res, 404, { status: 'not found' });
  }
}

export async function readinessReport(checks: readonly ReadinessCheck[]): Promise<{ ready: boolean; body: unknown }> {
  const results = await Promise.all(
    checks.map(async ({ name, check, degradesOnly }) => ({ name, degradesOnly, reason: await check().catch(() => 'check failed') })),
  );
  const ready = results.every((result) => result.reason === undefined || result.degradesOnly);
  const degraded = results.some((result) => result.reason !== undefined);
  return {
    ready,
    body: {
      status: !ready ? 'not-ready' : degraded ? 'degraded' : 'ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r.reason ?? 'ok'])),
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), 'cache-control': 'no-store' }).end(payload);
}
