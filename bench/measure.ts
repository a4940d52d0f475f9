import type { Usage } from './child-control.js';
import { procMemory, resetPeakMemory, type Child } from './children.js';
import { runLoad, type LoadRequest } from './load.js';
import type { RunSample } from './report.js';

export interface UpstreamCounts {
  readonly api: number;
  readonly token: number;
  readonly background: number;
}

export interface RunPlan {
  readonly baseUrl: string;
  /** The target's own process; absent for direct. */
  readonly child: Child | undefined;
  readonly upstream: Child;
  readonly requests: readonly LoadRequest[];
  readonly connections: number;
  readonly seconds?: number;
  readonly amount?: number;
  readonly maxSeconds: number;
}

/**
 * One run with the target's CPU time, peak RSS and the upstream's call counts read just before
 * and just after, so that each figure covers the run and nothing else.
 */
export async function measure(plan: RunPlan): Promise<RunSample & { statusCodes: Record<string, number> }> {
  const { child, upstream } = plan;
  const countsBefore = await upstream.ask<UpstreamCounts>('counts');
  const usageBefore = child ? await child.ask<Usage>('usage') : undefined;
  const rssBefore = child ? procMemory(child.pid, 'VmRSS') : undefined;
  if (child) resetPeakMemory(child.pid);
  const result = await runLoad({
    baseUrl: plan.baseUrl,
    requests: plan.requests,
    connections: plan.connections,
    maxSeconds: plan.maxSeconds,
    ...(plan.amount !== undefined ? { amount: plan.amount } : { seconds: plan.seconds ?? 1 }),
  });
  // Requests cut off when a timed run stops still reach the target; let them finish first.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const peak = child ? procMemory(child.pid, 'VmHWM') : undefined;
  const usageAfter = child ? await child.ask<Usage>('usage') : undefined;
  const countsAfter = await upstream.ask<UpstreamCounts>('counts');
  const served = Math.max(result.responses, 1);
  return {
    responses: result.responses,
    failures: result.failures,
    statusCodes: result.statusCodes,
    rps: result.rps,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    ...(usageBefore && usageAfter ? { cpuUsPerRequest: (usageAfter.cpuUs - usageBefore.cpuUs) / served } : {}),
    ...(rssBefore !== undefined ? { rssBeforeBytes: rssBefore } : {}),
    ...(peak !== undefined ? { peakRssBytes: peak } : {}),
    // Per request sent: those in flight at the end were forwarded too.
    upstreamCallsPerRequest: (countsAfter.api - countsBefore.api) / Math.max(result.sent, 1),
    tokenRequests: countsAfter.token - countsBefore.token,
    backgroundCalls: countsAfter.background - countsBefore.background,
  };
}
