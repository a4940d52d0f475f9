import { z } from 'zod';
import { GatewayError } from '../../../src/errors.js';
import { createRowExecutor, type RowRequest } from '../../../src/executor/row-executor.js';
import type { RowMeter } from '../../../src/executor/upstream-calls.js';
import { scopeListing } from '../../../src/scoping/filters/listing.js';
import { scopeQueueListing } from '../../../src/scoping/filters/queues.js';
import { restrictDivisionIdParam } from '../../../src/scoping/request-scopers.js';
import { jsonBody, forward, type RouteRule } from '../../../src/scoping/route-rule.js';
import { inScope, UnexpectedShapeError } from '../../../src/scoping/scope.js';
import { MemoryJobRegistry } from '../../../src/state/jobs/job-registry.js';
import { FakeGenesys, fixedDirectories } from '../../support/fake-genesys.js';
import { entry, scopeOf } from '../../support/scoping.js';

const OURS = 'd-ours';
const THEIRS = 'd-theirs';
const queue = (id: string, division: string) => ({ id, name: id, division: { id: division } });
const listing = (...entities: unknown[]) => ({ entities, pageSize: 25, pageNumber: 1, total: entities.length, pageCount: 1 });
const summary = { request: '', response: '' };

const queuesRow: RouteRule = {
  method: 'GET',
  path: '/api/v2/routing/queues',
  access: 'read',
  query: { multi: ['divisionId'] },
  needs: ['queues'],
  request: restrictDivisionIdParam,
  response: { kind: 'scoped', scope: scopeQueueListing },
  summary,
};

function setup(options: { queues?: ReturnType<typeof entry>[] } = {}) {
  const genesys = new FakeGenesys();
  const jobs = new MemoryJobRegistry();
  const execute = createRowExecutor({ client: genesys, directories: fixedDirectories(options.queues ?? []), jobs });
  const meter: RowMeter = { upstreamCalls: 0, upstreamMs: 0 };
  const run = (rule: RouteRule, extra: Partial<RowRequest> = {}) =>
    execute({ scope: scopeOf(OURS), rule, params: {}, path: rule.path, query: new Map(), correlationId: 'c-1', ...extra }, meter);
  return { genesys, jobs, meter, run };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('the row executor (no sockets, no framework)', () => {
  it('pushes the tenant’s divisions upstream and keeps only its entities, counting the call', async () => {
    const { genesys, meter, run } = setup({ queues: [entry('q1', OURS)] });
    genesys.answer('GET', '/api/v2/routing/queues', { json: listing(queue('q1', OURS), queue('q2', THEIRS)) });
    const answer = await run(queuesRow);
    expect(genesys.sent[0]!.pathAndQuery).toBe(`/api/v2/routing/queues?divisionId=${OURS}`);
    expect(answer.status).toBe(200);
    expect((answer.body as { entities: { id: string }[] }).entities.map((q) => q.id)).toEqual(['q1']);
    expect({ kept: answer.kept, removed: answer.removed }).toEqual({ kept: 1, removed: 1 });
    expect(meter.upstreamCalls).toBe(1);
    expect(meter.upstreamStatus).toBe(200);
  });

  it('answers an empty plan without calling Genesys', async () => {
    const { genesys, run } = setup();
    const answer = await run(queuesRow, { query: new Map([['divisionId', [THEIRS]]]) });
    expect(genesys.sent).toEqual([]);
    expect(answer.body).toMatchObject({ entities: [], total: 0 });
  });

  it('refuses a foreign path id with 404 before any call, and says why on the error', async () => {
    const { genesys, run } = setup({ queues: [entry('q-foreign', THEIRS)] });
    const row: RouteRule = { ...queuesRow, path: '/api/v2/routing/queues/{queueId}', owns: [{ param: 'queueId', kind: 'queue' }], request: undefined };
    const error = await refusal(run(row, { params: { queueId: 'q-foreign' } }));
    expect(error.code).toBe('not.found');
    expect(error.audit).toBe('entity outside the tenant’s divisions');
    expect(genesys.sent).toEqual([]);
  });

  it('answers an unknown id exactly as a foreign one', async () => {
    const { run } = setup();
    const row: RouteRule = { ...queuesRow, path: '/api/v2/routing/queues/{queueId}', owns: [{ param: 'queueId', kind: 'queue' }], request: undefined };
    const error = await refusal(run(row, { params: { queueId: 'q-unknown' } }));
    expect({ code: error.code, status: error.status, message: error.message }).toEqual({ code: 'not.found', status: 404, message: new GatewayError('not.found').message });
  });

  it('turns a Genesys error into the proxy’s own error', async () => {
    const { genesys, run } = setup();
    genesys.answer('GET', '/api/v2/routing/queues', { status: 429, json: {} });
    expect((await refusal(run(queuesRow))).code).toBe('upstream.rate.limited');
  });

  it('answers 502 when the upstream shape is not what the scoper knows', async () => {
    const { genesys, run } = setup();
    genesys.answer('GET', '/api/v2/routing/queues', { json: { entities: 'not a list' } });
    expect((await refusal(run(queuesRow))).code).toBe('upstream.bad.response');
  });

  it('binds a created job to the tenant before answering', async () => {
    const { genesys, jobs, run } = setup();
    genesys.answer('POST', '/jobs', { status: 202, json: { jobId: 'job-1' } });
    const row: RouteRule = {
      method: 'POST',
      path: '/jobs',
      access: 'read',
      query: {},
      body: jsonBody(z.object({ n: z.number() }), (body) => forward(new Map(), body)),
      response: { kind: 'scoped', scope: (body) => ({ kind: 'ok', body, kept: 0, removed: 0 }) },
      effect: { kind: 'bind-job' },
      summary,
    };
    const answer = await run(row, { body: { n: 1 } });
    expect(answer.status).toBe(202);
    expect(genesys.sent[0]!.body).toBe('{"n":1}');
    expect(await jobs.ownerOf('job-1')).toBe('t');
  });

  describe('a row with its own strategy', () => {
    const pagesRow = (access: 'read' | 'write', share?: boolean): RouteRule => ({
      method: 'GET',
      path: '/api/v2/things',
      access,
      query: {},
      response: { kind: 'own' },
      // Scans pages until the tenant's first thing is found.
      execute: async (input, upstream) => {
        for (let page = 1; page <= 3; page++) {
          const { json } = await upstream.call({ method: 'GET', path: '/api/v2/things', query: new Map([['pageNumber', [String(page)]]]), ...(share !== undefined ? { share } : {}) });
          const scoped = scopeListing(json, { ...input, path: input.path }, (thing) => inScope(thing, input.scope), { hasTotals: false, upstreamFiltered: false });
          if (scoped.kind === 'ok' && scoped.kept > 0) return scoped;
        }
        return { kind: 'not-found' };
      },
      summary,
    });

    it('calls Genesys only through the port, each call counted', async () => {
      const { genesys, meter, run } = setup();
      genesys.answer('GET', '/api/v2/things', (request) =>
        request.pathAndQuery.endsWith('pageNumber=2') ? { json: listing(queue('t2', OURS)) } : { json: listing(queue('t1', THEIRS)) },
      );
      const answer = await run(pagesRow('read'));
      expect((answer.body as { entities: { id: string }[] }).entities.map((t) => t.id)).toEqual(['t2']);
      expect(meter.upstreamCalls).toBe(2);
      expect(genesys.sent.map((request) => request.read)).toEqual([true, true]);
    });

    it('shares reads only on read rows, and only when the strategy allows it', async () => {
      for (const [access, share, expected] of [['write', true, false], ['read', false, false], ['read', undefined, true]] as const) {
        const { genesys, run } = setup();
        genesys.answer('GET', '/api/v2/things', { json: listing(queue('t1', OURS)) });
        await run(pagesRow(access, share));
        expect(genesys.sent[0]!.read).toBe(expected);
      }
    });

    it('maps a Genesys failure and a not-found answer like any row', async () => {
      const failing = setup();
      failing.genesys.answer('GET', '/api/v2/things', { status: 500 });
      expect((await refusal(failing.run(pagesRow('read')))).code).toBe('upstream.error');
      const empty = setup();
      empty.genesys.answer('GET', '/api/v2/things', { json: listing(queue('t1', THEIRS)) });
      const error = await refusal(empty.run(pagesRow('read')));
      expect(error.code).toBe('not.found');
      expect(empty.genesys.sent).toHaveLength(3);
    });

    it('answers 502 when the strategy meets a shape it does not know', async () => {
      const { genesys, run } = setup();
      genesys.answer('GET', '/api/v2/things', { json: {} });
      const row: RouteRule = {
        ...pagesRow('read'),
        execute: async (_input, upstream) => {
          await upstream.call({ method: 'GET', path: '/api/v2/things' });
          throw new UnexpectedShapeError('no entities');
        },
      };
      expect((await refusal(run(row))).code).toBe('upstream.bad.response');
    });
  });
});
