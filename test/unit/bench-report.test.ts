import { categoryOf, summariseProfile } from '../../bench/profile.js';
import {
  addedLatency,
  evaluateGoals,
  median,
  percentile,
  ratio,
  renderPolling,
  renderTable,
  type Cell,
  type RunSample,
  type ScenarioInfo,
} from '../../bench/report.js';

const sample = (overrides: Partial<RunSample>): RunSample => ({
  responses: 1000,
  failures: 0,
  rps: 1000,
  p50Ms: 1,
  p99Ms: 2,
  upstreamCallsPerRequest: 1,
  tokenRequests: 0,
  backgroundCalls: 0,
  ...overrides,
});

describe('the benchmark report', () => {
  it('takes medians of odd and even counts and ignores missing values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeUndefined();
  });

  it('takes nearest-rank percentiles of sorted values', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('gives no ratio against nothing or zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
  });

  const scenario: ScenarioInfo = {
    id: 'queues-25',
    title: '25-queue listing',
    modes: ['many', 'one'],
    requests: 'distinct',
    unavailable: {},
    probes: { proxy: { status: 200, bytes: 22_000, items: 25 } },
    cpuGoalRatio: 1.0,
    addedLatencyGoalMs: 0.6,
  };
  const cells: Cell[] = [
    { scenario: 'queues-25', target: 'direct', mode: 'one', samples: [sample({ p50Ms: 0.1 }), sample({ p50Ms: 0.3 }), sample({ p50Ms: 0.2 })] },
    { scenario: 'queues-25', target: 'proxy', mode: 'one', samples: [sample({ p50Ms: 0.7 }), sample({ p50Ms: 0.6 }), sample({ p50Ms: 0.9 })] },
    { scenario: 'queues-25', target: 'proxy', mode: 'many', samples: [sample({ cpuUsPerRequest: 400, upstreamCallsPerRequest: 0.98 })] },
    { scenario: 'queues-25', target: 'passthrough', mode: 'many', samples: [sample({ cpuUsPerRequest: 500 })] },
  ];

  it('checks the goals against the medians', () => {
    expect(addedLatency({ cells }, 'queues-25')).toBeCloseTo(0.5);
    const verdicts = evaluateGoals({ cells, scenarios: [scenario] });
    expect(verdicts.map((v) => v.met)).toEqual([true, true, true]);
    expect(verdicts[0]!.goal).toContain('≤ 1.0× the express + HPM pass-through');
    expect(verdicts[0]!.detail).toContain('0.80×');
  });

  it('misses the one-call goal of distinct requests when the proxy shared calls, and sets no goals on identical ones', () => {
    const shared = cells.map((cell) => (cell.target === 'proxy' && cell.mode === 'many' ? { ...cell, samples: [sample({ cpuUsPerRequest: 400, upstreamCallsPerRequest: 0.2 })] } : cell));
    expect(evaluateGoals({ cells: shared, scenarios: [scenario] })[2]).toEqual(expect.objectContaining({ met: false }));
    const identical: ScenarioInfo = { ...scenario, id: 'queues-25-identical', requests: 'identical' };
    expect(evaluateGoals({ cells: shared, scenarios: [identical] })).toEqual([]);
  });

  it('puts identical requests in a table of their own', () => {
    const identical: ScenarioInfo = { ...scenario, id: 'queues-25-identical', title: '25-queue listing, identical requests', requests: 'identical' };
    expect(renderTable({ cells, scenarios: [scenario, identical] }, 'distinct')).not.toContain('identical requests');
    expect(renderTable({ cells, scenarios: [scenario, identical] }, 'identical')).toContain('| 25-queue listing, identical requests | proxy |');
  });

  it('reports a scenario the proxy refuses as not available instead of failing', () => {
    const refused: ScenarioInfo = { ...scenario, unavailable: { proxy: 'the proxy refuses this route (403)' } };
    expect(evaluateGoals({ cells: [], scenarios: [refused] })).toEqual([expect.objectContaining({ met: undefined })]);
    expect(renderTable({ cells: [], scenarios: [refused] })).toContain('| 25-queue listing | proxy | not available: the proxy refuses this route (403) |');
  });

  it('renders one row per scenario and target', () => {
    const table = renderTable({ cells, scenarios: [scenario] }).split('\n');
    expect(table).toHaveLength(2 + 3);
    expect(table[4]).toContain('| proxy | 25 · 21 KiB |');
    expect(table[4]).toContain('+0.50 ms');
  });
});

describe('the CPU profile summary', () => {
  const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

  it('names JSON builtins after the own function that calls them and natives after their caller', () => {
    expect(categoryOf([frame('parseUpstreamJson', 'file:///x/src/genesys/json-response.js')])).toBe('JSON.parse');
    expect(categoryOf([frame(''), frame('createFromString', 'node:buffer')])).toBe('Buffer ↔ UTF-8 string');
    expect(categoryOf([frame('inScope', 'file:///x/src/scoping/scope.js')])).toBe('scoping');
    expect(categoryOf([frame('(idle)')])).toBeUndefined();
  });

  it('shares busy samples out by category', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('sendJson', 'file:///x/src/http/send.js') },
      ],
      samples: [2, 3, 3],
    };
    expect(summariseProfile(profile).categories).toEqual([{ name: 'JSON.stringify', percent: 100 }]);
  });
});

describe('the polling table', () => {
  it('shows one line per read-cache setting with the calls per poll', () => {
    const base = { tenants: 10, pollIntervalMs: 1000, seconds: 10, failedPolls: 0 };
    const table = renderPolling([
      { ...base, readCacheTtlMs: 0, polls: 100, upstreamCalls: 100, upstreamCallsPerPoll: 1 },
      { ...base, readCacheTtlMs: 5000, polls: 100, upstreamCalls: 20, upstreamCallsPerPoll: 0.2 },
    ]).split('\n');
    expect(table[0]).toBe('## Upstream calls: 10 tenants polling queue observations every 1 s');
    expect(table).toContain('| off (default) | 100 | 0 | 100 | 1.000 |');
    expect(table).toContain('| `READ_CACHE_TTL_MS=5000` | 100 | 0 | 20 | 0.200 |');
  });

  it('is left out when the benchmark did not poll', () => {
    expect(renderPolling([])).toBe('');
  });
});
