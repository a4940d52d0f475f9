import type { Child } from './children.js';
import type { LoadRequest } from './load.js';
import type { UpstreamCounts } from './measure.js';
import type { PollingResult } from './report.js';

export interface PollingPlan {
  readonly proxyUrl: string;
  readonly upstream: Child;
  /** One poll per tenant: the observations scenario's requests, as the proxy gets them. */
  readonly requests: readonly LoadRequest[];
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
  const poller = async (poll: LoadRequest, offsetMs: number) => {
    await sleep(offsetMs);
    for (let next = performance.now(); next < deadline; next += plan.pollIntervalMs) {
      await sleep(next - performance.now());
      const response = await fetch(plan.proxyUrl + poll.path, { method: poll.method, headers: poll.headers, ...(poll.body ? { body: poll.body } : {}) });
      await response.arrayBuffer();
      polls += 1;
      if (response.status !== 200) failedPolls += 1;
    }
  };
  await Promise.all(plan.requests.map((poll, i) => poller(poll, (i * plan.pollIntervalMs) / plan.requests.length)));
  const after = await plan.upstream.ask<UpstreamCounts>('counts');
  const upstreamCalls = after.api - before.api;
  return {
    readCacheTtlMs: plan.readCacheTtlMs,
    tenants: plan.requests.length,
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
