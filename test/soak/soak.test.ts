import { describeFigures, RSS_GROWTH_LIMIT_MIB, runSoak } from './soak-runner.js';

const seconds = Number(process.env['SOAK_SECONDS'] ?? 60);

describe('the soak (npm run test:soak; SOAK_SECONDS, default 60)', () => {
  it(`serves several tenants over every route for ${seconds} s with no leak, no 5xx and RSS growth under ${RSS_GROWTH_LIMIT_MIB} MiB after warm-up`, async () => {
    const figures = await runSoak({ durationMs: seconds * 1000, warmupMs: Math.min(10_000, seconds * 200), workersPerTenant: 4 });
    process.stdout.write(`\n${describeFigures(figures)}\n\n`);
    expect(figures.leaks).toBe(0);
    expect(figures.unexpected5xx).toBe(0);
    expect(figures.unexpectedStatuses).toBe(0);
    expect(figures.upstreamProblems).toBe(0);
    expect(figures.errorLogLines).toBe(0);
    expect(figures.rowsNotCovered).toEqual([]);
    expect(figures.exitCode).toBe(0);
    expect(figures.requests).toBeGreaterThan(seconds * 20);
    expect(figures.rssGrowthAfterWarmupMiB).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
  }, seconds * 1000 + 60_000);
});
