import { GatewayError } from '../../../src/errors.js';
import { createRowExecutor } from '../../../src/executor/row-executor.js';
import type { RowMeter } from '../../../src/executor/upstream-calls.js';
import { policyTable } from '../../../src/scoping/policy-table.js';
import { MemoryJobRegistry } from '../../../src/state/jobs/job-registry.js';
import { FakeGenesys, fixedDirectories } from '../../support/fake-genesys.js';
import { scopeOf } from '../../support/scoping.js';

const JOBS = '/api/v2/analytics/conversations/details/jobs';
const row = policyTable.find((rule) => rule.method === 'POST' && rule.path === JOBS)!;
const body = { interval: '2026-11-01T00:00:00Z/2026-11-20T00:00:00Z' };

describe('creating a details job', () => {
  it('is never a shareable read, and a job id Genesys hands out twice is refused as an anomaly, the first creator keeping it', async () => {
    const genesys = new FakeGenesys().answer('POST', JOBS, { status: 202, json: { jobId: 'job-1' } });
    const jobs = new MemoryJobRegistry();
    const execute = createRowExecutor({ client: genesys, directories: fixedDirectories([]), jobs });
    const meter: RowMeter = { upstreamCalls: 0, upstreamMs: 0 };
    const create = (tenantId: string) => execute({ scope: { ...scopeOf('d1'), tenantId }, rule: row, params: {}, path: JOBS, query: new Map(), body, correlationId: tenantId }, meter);
    expect((await create('globex')).body).toEqual({ jobId: 'job-1' });
    const refused = await create('twin').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'upstream.bad.response', audit: expect.stringContaining('anomaly') });
    expect(String((refused as GatewayError).cause)).toContain('anomaly: job job-1 was bound already');
    expect(await jobs.ownerOf('job-1')).toBe('globex');
    expect(genesys.sent.map((sent) => sent.read)).toEqual([false, false]);
  });
});
