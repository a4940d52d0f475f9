import type { Child } from './children.js';
import type { UpstreamCounts } from './measure.js';

export interface AnalyticsCallsPlan {
  readonly proxyUrl: string;
  readonly upstream: Child;
  /** A tenant's request headers (credential and content type). */
  readonly headers: Readonly<Record<string, string>>;
  readonly interval: string;
  readonly pageSize: number;
}

export interface AnalyticsCallsResult {
  readonly pageSize: number;
  /** Genesys calls made for each details page, first to one past the last. */
  readonly callsPerDetailsPage: readonly number[];
  readonly totalHits: number;
  readonly aggregates: readonly { readonly query: string; readonly calls: number; readonly status: number }[];
}

/** What the Genesys stand-in receives while one tenant request runs. */
async function counted(plan: AnalyticsCallsPlan, path: string, body: unknown): Promise<{ calls: number; status: number; json: unknown }> {
  const before = await plan.upstream.ask<UpstreamCounts>('counts');
  const response = await fetch(plan.proxyUrl + path, { method: 'POST', headers: plan.headers, body: JSON.stringify(body) });
  const json = (await response.json()) as unknown;
  const after = await plan.upstream.ask<UpstreamCounts>('counts');
  return { calls: after.api - before.api, status: response.status, json };
}

/**
 * Genesys calls per analytics request through the proxy: one tenant paging through its details
 * (the first page reads the tenant's conversations, the next ones come from that read), and
 * conversation aggregates asked by the tenant's queues (one call per 100 queues).
 */
export async function runAnalyticsCalls(plan: AnalyticsCallsPlan): Promise<AnalyticsCallsResult> {
  const callsPerDetailsPage: number[] = [];
  let totalHits = 0;
  for (let pageNumber = 1; pageNumber <= 1_000; pageNumber += 1) {
    const { calls, json } = await counted(plan, '/api/v2/analytics/conversations/details/query', { interval: plan.interval, paging: { pageSize: plan.pageSize, pageNumber } });
    callsPerDetailsPage.push(calls);
    totalHits = (json as { totalHits?: number }).totalHits ?? 0;
    if (pageNumber * plan.pageSize >= totalHits + plan.pageSize) break;
  }
  const aggregates = [];
  for (const [query, groupBy] of [['ungrouped', []], ['by mediaType', ['mediaType']], ['by queueId', ['queueId']], ['by divisionId', ['divisionId']]] as const) {
    const { calls, status } = await counted(plan, '/api/v2/analytics/conversations/aggregates/query', { interval: plan.interval, metrics: ['tHandle', 'nOffered'], groupBy });
    aggregates.push({ query, calls, status });
  }
  return { pageSize: plan.pageSize, callsPerDetailsPage, totalHits, aggregates };
}

export function renderAnalyticsCalls(result: AnalyticsCallsResult): string {
  const pages = result.callsPerDetailsPage;
  const total = pages.reduce((sum, calls) => sum + calls, 0);
  return [
    '## Genesys calls per analytics request',
    '',
    `Details, one tenant paging through its ${result.totalHits} conversations ${result.pageSize} a page (${pages.length} pages, the last one past the end): ` +
      `${pages[0] ?? 0} calls for the first page (the scan, 100 conversations a call), ${pages.slice(1).reduce((sum, calls) => sum + calls, 0)} for the ${Math.max(0, pages.length - 1)} pages after it; ` +
      `${(total / Math.max(pages.length, 1)).toFixed(2)} calls per page overall.`,
    '',
    '| aggregate query | Genesys calls | status |',
    '|---|---|---|',
    ...result.aggregates.map((row) => `| ${row.query} | ${row.calls} | ${row.status} |`),
    '',
  ].join('\n');
}
