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
  readonly startAt?: number;
  readonly connections: number;
  readonly seconds?: number;
  readonly amount?: number;
  readonly maxSeconds: number;
}

/**
 * One run with the target's CPU time, peak RSS and the upstream's call counts read just before
 * and just after, so that each figure covers the run and nothing else.
 */
export async function measure(plan: RunPlan): Promise<RunSample & { statusCodes: Record<string, number>; span: number }> {
  const { child, upstream } = plan;
  const countsBefore = await upstream.ask<UpstreamCounts>('counts');
  const usageBefore = child ? await child.ask<Usage>('usage') : undefined;
  const rssBefore = child ? procMemory(child.pid, 'VmRSS') : undefined;
  if (child) resetPeakMemory(child.pid);
  const result = await runLoad({
    baseUrl: plan.baseUrl,
    requests: plan.requests,
    ...(plan.startAt !== undefined ? { startAt: plan.startAt } : {}),
    connections: plan.connections,
    maxSeconds: plan.maxSeconds,
    ...(plan.amount !== undefined ? { amount: plan.amount } : { seconds: plan.seconds ?? 1 }),
  });
  // Requests cut off when a timed run stops still reach the target, and a saturated proxy may
  // make their Genesys calls a while later: wait until the stand-in's count stops moving.
  let countsAfter = await settled(upstream);
  const peak = child ? procMemory(child.pid, 'VmHWM') : undefined;
  const usageAfter = child ? await child.ask<Usage>('usage') : undefined;
  countsAfter = await upstream.ask<UpstreamCounts>('counts');
  const served = Math.max(result.responses, 1);
  return {
    span: result.span,
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

/** The stand-in's counts once unchanged for 100 ms (at most 3 s). */
async function settled(upstream: Child): Promise<UpstreamCounts> {
  let last = await upstream.ask<UpstreamCounts>('counts');
  for (let waited = 0; waited < 3000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await upstream.ask<UpstreamCounts>('counts');
    if (now.api === last.api) return now;
    last = now;
  }
  return last;
}
