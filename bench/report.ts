import { renderAnalyticsCalls, type AnalyticsCallsResult } from './analytics-calls.js';

/**
 * Pure functions of the benchmark: medians, ratios, goal checks and the markdown report. No I/O,
 * so that they can be unit tested.
 */

/**
 * `parsed`: the same proxy with SCOPE_ON_BYTES=false, measured only on the queue listings (the
 * routes scoped on bytes), so that the byte scoper is compared with the reference in one run.
 */
export const TARGETS = ['direct', 'passthrough', 'proxy', 'parsed'] as const;
export type TargetName = (typeof TARGETS)[number];
/** `many`: 50 connections (throughput and CPU); `one`: 1 connection (latency). */
export type Mode = 'many' | 'one';
/**
 * `distinct`: no two requests in flight are the same, so each costs the proxy its own Genesys call
 * (the headline figures). `identical`: one request per tenant, many in flight at once, which the
 * proxy's in-flight read sharing answers from one call and one parse (the coalescing case).
 */
export type RequestKind = 'distinct' | 'identical';

/** One measured run of one target on one scenario. */
export interface RunSample {
  readonly responses: number;
  /** Non-2xx answers, socket errors and timeouts. */
  readonly failures: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU (user + system) of the target's process over the run, per 2xx answer; absent for direct. */
  readonly cpuUsPerRequest?: number;
  readonly rssBeforeBytes?: number;
  /** Highest RSS of the target's process during the run. */
  readonly peakRssBytes?: number;
  /** Calls to the Genesys API made for tenant requests, per 2xx answer (logins and directory reloads apart). */
  readonly upstreamCallsPerRequest: number;
  readonly tokenRequests: number;
  /** Background directory reloads that fell inside the run. */
  readonly backgroundCalls: number;
}

export interface Cell {
  readonly scenario: string;
  readonly target: TargetName;
  readonly mode: Mode;
  readonly samples: RunSample[];
}

export interface Probe {
  readonly status: number;
  readonly bytes: number;
  readonly items: number;
}

export interface ScenarioInfo {
  readonly id: string;
  readonly title: string;
  readonly modes: readonly Mode[];
  readonly requests: RequestKind;
  /** How many different requests the scenario sends, and what differs between them. */
  readonly variants?: number;
  readonly variety?: string;
  /** Per target: why it was not measured (e.g. the proxy refuses the route), absent when it was. */
  readonly unavailable: Partial<Record<TargetName, string>>;
  readonly probes: Partial<Record<TargetName, Probe>>;
  /** The route is scoped on bytes: the proxy is measured with SCOPE_ON_BYTES=false too. */
  readonly bytePath?: boolean;
  /** Goal on the proxy's CPU per request, as a multiple of the pass-through's. */
  readonly cpuGoalRatio?: number;
  /** Goal on the latency the proxy adds at 1 connection (p50 over direct). */
  readonly addedLatencyGoalMs?: number;
  /** Goals of the large-answer scenario. */
  readonly largeBodyGoal?: { readonly maxLatencyMs: number; readonly maxRssGrowthFactor: number };
}

export interface MachineInfo {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly os: string;
  readonly memoryGiB: number;
}

export interface ProfileLine {
  readonly name: string;
  readonly percent: number;
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly setup: readonly string[];
  readonly scenarios: readonly ScenarioInfo[];
  readonly cells: readonly Cell[];
  readonly peakRssBytes: Partial<Record<TargetName, number>>;
  /** Everything the Genesys stand-in received over the whole benchmark, warm-up and profiling included. */
  readonly upstreamTotals: { readonly api: number; readonly token: number; readonly background: number };
  /** V8 CPU profiles of the proxy, one extra run per scenario after the measured rounds. */
  readonly profiles: readonly { readonly scenario: string; readonly categories: readonly ProfileLine[]; readonly functions: readonly ProfileLine[] }[];
  /** Upstream calls per poll of tenants polling observations, per read-cache setting. */
  readonly polling?: readonly PollingResult[];
  /** Genesys calls per details page and per aggregate query. */
  readonly analyticsCalls?: AnalyticsCallsResult;
  readonly elapsedSeconds: number;
}

export function median(values: readonly number[]): number | undefined {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle] : (finite[middle - 1]! + finite[middle]!) / 2;
}

/** Nearest-rank percentile of values sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function ratio(value: number | undefined, base: number | undefined): number | undefined {
  if (value === undefined || base === undefined || base === 0 || !Number.isFinite(value) || !Number.isFinite(base)) return undefined;
  return value / base;
}

type NumericField = { [K in keyof RunSample]-?: NonNullable<RunSample[K]> extends number ? K : never }[keyof RunSample];

/** The median of one field over the rounds; undefined when no round measured it. */
export function medianOf(samples: readonly RunSample[], field: NumericField): number | undefined {
  return median(samples.flatMap((sample) => (sample[field] === undefined ? [] : [sample[field]])));
}

export function maxOf(samples: readonly RunSample[], field: NumericField): number | undefined {
  const values = samples.flatMap((sample) => (sample[field] === undefined ? [] : [sample[field]]));
  return values.length === 0 ? undefined : Math.max(...values);
}

export function findCell(report: Pick<BenchReport, 'cells'>, scenario: string, target: TargetName, mode: Mode): Cell | undefined {
  return report.cells.find((cell) => cell.scenario === scenario && cell.target === target && cell.mode === mode && cell.samples.length > 0);
}

export interface GoalVerdict {
  readonly goal: string;
  readonly met: boolean | undefined;
  readonly detail: string;
}

const ms = (value: number | undefined, digits = 2) => (value === undefined ? 'n/a' : `${value.toFixed(digits)} ms`);
const us = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} µs`);
const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
const times = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`);

/** The goals, checked against the medians of this run: on distinct requests only. */
export function evaluateGoals(report: Pick<BenchReport, 'cells' | 'scenarios'>): GoalVerdict[] {
  const verdicts: GoalVerdict[] = [];
  const get = (scenario: string, target: TargetName, mode: Mode) => findCell(report, scenario, target, mode)?.samples ?? [];
  for (const scenario of report.scenarios.filter((s) => s.requests === 'distinct')) {
    if (scenario.unavailable.proxy) {
      verdicts.push({ goal: `${scenario.title}: measured`, met: undefined, detail: `not available: ${scenario.unavailable.proxy}` });
      continue;
    }
    const mode: Mode = scenario.modes.includes('many') ? 'many' : 'one';
    const proxyCpu = medianOf(get(scenario.id, 'proxy', mode), 'cpuUsPerRequest');
    const passCpu = medianOf(get(scenario.id, 'passthrough', mode), 'cpuUsPerRequest');
    const cpuRatio = ratio(proxyCpu, passCpu);
    if (scenario.cpuGoalRatio !== undefined) {
      verdicts.push({
        goal: `${scenario.title}: proxy CPU per request ≤ ${scenario.cpuGoalRatio.toFixed(1)}× the express + HPM pass-through's`,
        met: cpuRatio === undefined ? undefined : cpuRatio <= scenario.cpuGoalRatio,
        detail: `${us(proxyCpu)} vs ${us(passCpu)} (${times(cpuRatio)})`,
      });
    }
    if (scenario.addedLatencyGoalMs !== undefined) {
      const added = addedLatency(report, scenario.id);
      verdicts.push({
        goal: `${scenario.title}: added p50 latency at 1 connection ≤ ${scenario.addedLatencyGoalMs} ms over direct`,
        met: added === undefined ? undefined : added <= scenario.addedLatencyGoalMs,
        detail: `+${ms(added)} (proxy ${ms(medianOf(get(scenario.id, 'proxy', 'one'), 'p50Ms'))}, direct ${ms(medianOf(get(scenario.id, 'direct', 'one'), 'p50Ms'))})`,
      });
    }
    if (scenario.largeBodyGoal) {
      const samples = get(scenario.id, 'proxy', 'one');
      const p50 = medianOf(samples, 'p50Ms');
      const body = scenario.probes.proxy?.bytes;
      const growth = median(samples.flatMap((s) => (s.peakRssBytes !== undefined && s.rssBeforeBytes !== undefined ? [s.peakRssBytes - s.rssBeforeBytes] : [])));
      const factor = ratio(growth, body);
      verdicts.push({
        goal: `${scenario.title}: answered in ≤ ${scenario.largeBodyGoal.maxLatencyMs} ms`,
        met: p50 === undefined ? undefined : p50 <= scenario.largeBodyGoal.maxLatencyMs,
        detail: `p50 ${ms(p50, 0)}, p99 ${ms(medianOf(samples, 'p99Ms'), 0)}`,
      });
      verdicts.push({
        goal: `${scenario.title}: peak RSS growth ≤ ${scenario.largeBodyGoal.maxRssGrowthFactor}× the body`,
        met: factor === undefined ? undefined : factor <= scenario.largeBodyGoal.maxRssGrowthFactor,
        detail: `+${mib(growth)} for a ${mib(body)} answer (${times(factor)})`,
      });
    }
    // Distinct requests share nothing: fewer than one call each would mean the figures above
    // were flattered by sharing, more would mean the proxy asks Genesys more than once.
    const calls = scenario.modes.map((m) => medianOf(get(scenario.id, 'proxy', m), 'upstreamCallsPerRequest'));
    const known = calls.every((c) => c !== undefined) ? (calls as number[]) : undefined;
    verdicts.push({
      goal: `${scenario.title}: one Genesys call per request (0.95 to 1.0)`,
      met: known === undefined ? undefined : known.every((c) => c >= 0.95 && c <= 1.0),
      detail: scenario.modes.map((m, i) => `${m === 'many' ? '50 conn.' : '1 conn.'} ${calls[i]?.toFixed(3) ?? 'n/a'}`).join(', '),
    });
  }
  return verdicts;
}

/** Median p50 at 1 connection of a target minus that of direct. */
export function addedLatency(report: Pick<BenchReport, 'cells'>, scenario: string, target: TargetName = 'proxy'): number | undefined {
  const through = medianOf(findCell(report, scenario, target, 'one')?.samples ?? [], 'p50Ms');
  const direct = medianOf(findCell(report, scenario, 'direct', 'one')?.samples ?? [], 'p50Ms');
  return through === undefined || direct === undefined ? undefined : through - direct;
}

const num = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));
const pair = (a: number | undefined, b: number | undefined, digits = 2) => (a === undefined ? '—' : `${num(a, digits)} / ${num(b, digits)}`);

function answer(probe: Probe | undefined): string {
  if (!probe) return '—';
  const size = probe.bytes >= 1024 * 1024 ? `${(probe.bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(probe.bytes / 1024)} KiB`;
  return `${probe.items} · ${size}`;
}

/** One row per scenario (of one kind of requests) and target, medians of the rounds. */
export function renderTable(report: Pick<BenchReport, 'cells' | 'scenarios'>, requests: RequestKind = 'distinct'): string {
  const header = [
    '| scenario | target | answer (items · size) | rps, 50 conn. | p50 / p99 ms, 50 conn. | p50 / p99 ms, 1 conn. | rps vs direct | p50 added vs direct, 1 conn. | CPU µs/req | CPU vs pass-through | peak RSS MiB | upstream calls/req (50 / 1 conn.) | logins |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const rows: string[] = [];
  for (const scenario of report.scenarios.filter((s) => s.requests === requests)) {
    const cpuMode: Mode = scenario.modes.includes('many') ? 'many' : 'one';
    for (const target of TARGETS) {
      const unavailable = scenario.unavailable[target];
      // The reference-scoped proxy is a row only where it was measured (the routes scoped on bytes).
      if (target === 'parsed' && (unavailable || !findCell(report, scenario.id, target, cpuMode))) continue;
      if (unavailable) {
        rows.push(`| ${scenario.title} | ${target} | not available: ${unavailable} | | | | | | | | | | |`);
        continue;
      }
      const many = findCell(report, scenario.id, target, 'many')?.samples ?? [];
      const one = findCell(report, scenario.id, target, 'one')?.samples ?? [];
      const directMany = findCell(report, scenario.id, 'direct', 'many')?.samples ?? [];
      const cpu = medianOf(cpuMode === 'many' ? many : one, 'cpuUsPerRequest');
      const passCpu = medianOf(findCell(report, scenario.id, 'passthrough', cpuMode)?.samples ?? [], 'cpuUsPerRequest');
      const added = target === 'direct' ? undefined : addedLatency(report, scenario.id, target);
      const peak = maxOf([...many, ...one], 'peakRssBytes');
      const failures = [...many, ...one].reduce((sum, s) => sum + s.failures, 0);
      const logins = [...many, ...one].reduce((sum, s) => sum + s.tokenRequests, 0);
      rows.push(
        [
          '',
          scenario.title,
          target + (failures > 0 ? ` (${failures} failed)` : ''),
          answer(scenario.probes[target]),
          num(medianOf(many, 'rps')),
          pair(medianOf(many, 'p50Ms'), medianOf(many, 'p99Ms')),
          pair(medianOf(one, 'p50Ms'), medianOf(one, 'p99Ms')),
          target === 'direct' || many.length === 0 ? '' : times(ratio(medianOf(many, 'rps'), medianOf(directMany, 'rps'))),
          added === undefined ? '' : `${added >= 0 ? '+' : ''}${added.toFixed(2)} ms`,
          num(cpu),
          target === 'proxy' || target === 'parsed' ? times(ratio(cpu, passCpu)) : '',
          peak === undefined ? '' : (peak / 1024 / 1024).toFixed(0),
          target === 'direct' ? '' : `${num(medianOf(many, 'upstreamCallsPerRequest'), 3)} / ${num(medianOf(one, 'upstreamCallsPerRequest'), 3)}`,
          target === 'direct' ? '' : String(logins),
          '',
        ].join(' | ').trim(),
      );
    }
  }
  return [...header, ...rows].join('\n');
}

export function renderGoals(verdicts: readonly GoalVerdict[]): string {
  const mark = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? '**met**' : '**missed**');
  return ['| goal | result | numbers |', '|---|---|---|', ...verdicts.map((v) => `| ${v.goal} | ${mark(v.met)} | ${v.detail} |`)].join('\n');
}

function backgroundCalls(report: Pick<BenchReport, 'cells'>): number {
  return report.cells.filter((cell) => cell.target === 'proxy').reduce((sum, cell) => sum + cell.samples.reduce((n, s) => n + s.backgroundCalls, 0), 0);
}

export function renderReport(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    '# Benchmark: proxy vs direct vs express + http-proxy-middleware pass-through',
    '',
    `Run on ${machine.date}: ${machine.cpus} CPU(s), ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}. ` +
      `The whole run took ${Math.round(report.elapsedSeconds)} s.`,
    '',
    ...report.setup.map((line) => `- ${line}`),
    '',
    '## Distinct requests (medians of the rounds)',
    '',
    'The headline figures: every request differs from those in flight with it (see the setup above), so each costs the proxy its own Genesys call, parse and scoping.',
    '',
    renderTable(report, 'distinct'),
    '',
    '## Identical requests: the coalescing case (medians of the rounds)',
    '',
    "One request per tenant, so many identical ones are in flight at 50 connections: the proxy's in-flight read sharing answers them from one Genesys call and one parse (upstream calls per request below 1). Not the figures to judge the proxy's cost by; no goals apply.",
    '',
    renderTable(report, 'identical'),
    '',
    `Peak RSS over the whole run: pass-through ${mib(report.peakRssBytes.passthrough)}, proxy ${mib(report.peakRssBytes.proxy)}. ` +
      `The proxy's background directory reloads made ${backgroundCalls(report)} Genesys calls during the measured runs (not in the per-request figures). ` +
      `Over the whole benchmark the stand-in received ${report.upstreamTotals.api} API calls, ${report.upstreamTotals.background} directory-reload calls and ${report.upstreamTotals.token} logins.`,
    '',
    '## Goals',
    '',
    renderGoals(evaluateGoals(report)),
    '',
    'Why a goal is missed, and what would close it: the Performance section of the README.',
  ];
  if (report.polling && report.polling.length > 0) lines.push('', renderPolling(report.polling).trimEnd());
  if (report.analyticsCalls) lines.push('', renderAnalyticsCalls(report.analyticsCalls).trimEnd());
  if (report.profiles.length > 0) {
    const share = (line: ProfileLine) => `${line.name} ${line.percent.toFixed(1)} %`;
    lines.push('', "## Where the proxy's CPU goes", '', 'V8 CPU profile of one extra run per scenario, share of the busy samples by self time.', '');
    for (const profile of report.profiles) {
      lines.push(
        `- **${profile.scenario}**: ${profile.categories.slice(0, 7).map(share).join(' · ')}.`,
        `  Hottest functions: ${profile.functions.slice(0, 5).map((line) => `\`${line.name}\` ${line.percent.toFixed(1)} %`).join(', ')}.`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

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
