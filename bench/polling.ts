import type { Child } from './children.js';
import type { BenchTenant } from './fixture.js';
import type { UpstreamCounts } from './measure.js';

/** One configuration of the polling scenario: how many upstream calls a tenant poll cost. */
export interface PollingResult {
  readonly readCacheTtlMs: number;
  readonly tenants: number;
  readonly pollIntervalMs: number;
  readonly seconds: number;
  readonly polls: number;
  readonly failedPolls: number;
  readonly upstreamCalls: number;
  readonly upstreamCallsPerPoll: number;
}

export interface PollingPlan {
  readonly proxyUrl: string;
  readonly upstream: Child;
  readonly tenants: readonly BenchTenant[];
  readonly readCacheTtlMs: number;
  readonly pollIntervalMs: number;
  readonly seconds: number;
}

/**
 * Schedulers as they run in production: each tenant polls its queue observations on a fixed
 * interval, the tenants out of step with one another. What is counted is what Genesys receives.
 */
export async function runPolling(plan: PollingPlan): Promise<PollingResult> {
  const before = await plan.upstream.ask<UpstreamCounts>('counts');
  const deadline = performance.now() + plan.seconds * 1000;
  let polls = 0;
  let failedPolls = 0;
  const poller = async (tenant: BenchTenant, offsetMs: number) => {
    await sleep(offsetMs);
    for (let next = performance.now(); next < deadline; next += plan.pollIntervalMs) {
      await sleep(next - performance.now());
      const response = await fetch(`${plan.proxyUrl}/api/v2/analytics/queues/observations/query`, {
        method: 'POST',
        headers: { 'x-api-key': tenant.key, 'content-type': 'application/json' },
        body: JSON.stringify({
          filter: { type: 'or', predicates: tenant.watchedQueues.map((value) => ({ dimension: 'queueId', value })) },
          metrics: ['oWaiting', 'oInteracting', 'oOnQueueUsers'],
        }),
      });
      await response.arrayBuffer();
      polls += 1;
      if (response.status !== 200) failedPolls += 1;
    }
  };
  await Promise.all(plan.tenants.map((tenant, i) => poller(tenant, (i * plan.pollIntervalMs) / plan.tenants.length)));
  const after = await plan.upstream.ask<UpstreamCounts>('counts');
  const upstreamCalls = after.api - before.api;
  return {
    readCacheTtlMs: plan.readCacheTtlMs,
    tenants: plan.tenants.length,
    pollIntervalMs: plan.pollIntervalMs,
    seconds: plan.seconds,
    polls,
    failedPolls,
    upstreamCalls,
    upstreamCallsPerPoll: upstreamCalls / Math.max(polls, 1),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export function renderPolling(results: readonly PollingResult[]): string {
  if (results.length === 0) return '';
  const first = results[0]!;
  return [
    `## Upstream calls: ${first.tenants} tenants polling queue observations every ${first.pollIntervalMs / 1000} s`,
    '',
    `Each tenant's scheduler asks for its own 25 queues, the tenants out of step; ${first.seconds} s per configuration. Background directory reloads are not counted.`,
    '',
    '| read cache | tenant polls | failed | Genesys calls | calls per poll |',
    '|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.readCacheTtlMs === 0 ? 'off (default)' : `\`READ_CACHE_TTL_MS=${r.readCacheTtlMs}\``} | ${r.polls} | ${r.failedPolls} | ${r.upstreamCalls} | ${r.upstreamCallsPerPoll.toFixed(3)} |`,
    ),
    '',
  ].join('\n');
}
