import { describeFigures, RSS_GROWTH_LIMIT_MIB, runSoak } from '../soak/soak-runner.js';

describe('a five-second soak', () => {
  it(`serves several tenants over every route with no leak, no 5xx and RSS growth under ${RSS_GROWTH_LIMIT_MIB} MiB`, async () => {
    const figures = await runSoak({ durationMs: 5_000, warmupMs: 1_500, workersPerTenant: 2 });
    const report = describeFigures(figures);
    expect({ leaks: figures.leaks, unexpected5xx: figures.unexpected5xx, unexpectedStatuses: figures.unexpectedStatuses, upstreamProblems: figures.upstreamProblems, errorLogLines: figures.errorLogLines, report }).toEqual({
      leaks: 0,
      unexpected5xx: 0,
      unexpectedStatuses: 0,
      upstreamProblems: 0,
      errorLogLines: 0,
      report,
    });
    expect(figures.rowsNotCovered).toEqual([]);
    expect(figures.exitCode).toBe(0);
    expect(figures.requests).toBeGreaterThan(100);
    expect(figures.rssGrowthAfterWarmupMiB).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
  }, 30_000);
});
