import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { policyTable } from '../../src/scoping/policy-table.js';
import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { createSimulator, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';
import { foreignIdsIn } from '../support/leaks.js';
import { keys, tenantYaml } from '../support/tenants.js';
import { upstreamProblems } from '../support/upstream-audit.js';
import { freePort } from '../support/ports.js';

/**
 * A bounded soak on loopback: several tenants in parallel over every row of the policy table,
 * every answer checked by the leak oracle, every call Genesys receives audited. The proxy runs as
 * its own process (the built `dist/main.js`, as in production), so the memory figures are the
 * proxy's alone: its RSS is read from its own `/metrics` throughout. Every loop stops at a deadline
 * and at an iteration cap.
 */

export interface SoakOptions {
  readonly durationMs: number;
  /** RSS growth is measured from the end of the warm-up. */
  readonly warmupMs: number;
  /** Concurrent connections per tenant. */
  readonly workersPerTenant?: number;
}

export interface SoakFigures {
  readonly durationMs: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly leaks: number;
  readonly unexpected5xx: number;
  readonly unexpectedStatuses: number;
  /** Rows of the policy table that no request reached. */
  readonly rowsNotCovered: readonly string[];
  readonly upstreamCalls: number;
  readonly upstreamProblems: number;
  readonly errorLogLines: number;
  /** How the proxy process ended after SIGTERM (0: drained and exited cleanly). */
  readonly exitCode: number | null;
  /** MiB of the proxy process: once started, at the end of the warm-up, the highest after it, at the end. */
  readonly rssMiB: { readonly start: number; readonly warm: number; readonly peak: number; readonly end: number };
  readonly rssGrowthAfterWarmupMiB: number;
  /** MiB of the proxy's V8 heap in use, at the end of the warm-up and at the end (no forced GC). */
  readonly heapMiB: { readonly warm: number; readonly end: number };
  /** The first few problems of each kind, for the failure message. */
  readonly examples: readonly string[];
}

interface SoakTenant {
  readonly id: string;
  readonly key: string;
  readonly own: readonly number[];
  readonly writes: boolean;
}

const SOAK_TENANTS: readonly SoakTenant[] = [
  { id: 'acme', key: keys.acme, own: [1, 2], writes: false },
  { id: 'globex', key: keys.globex, own: [3], writes: true },
  { id: 'initech', key: 'gdp_soak_initech_key_00000000000000000000000000', own: [4], writes: false },
];

const INTERVAL = '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z';
const MAX_ITERATIONS_PER_WORKER = 1_000_000;
const REQUEST_TIMEOUT_MS = 10_000;

interface Step {
  readonly row: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly statuses: readonly number[];
  readonly mayNameHome?: boolean;
  /** Reads the answer for a later step (a created queue, a job). */
  readonly then?: (body: unknown) => void;
  /** The path, worked out when the step is sent: after an earlier step of the same round has answered. */
  readonly pathAfter?: () => string;
}

/** The requests of one tenant's round over every row it may use; writes only for a read-write tenant. */
function roundOf(tenant: SoakTenant, round: number, state: { jobId?: string; createdQueue?: string; channelId?: string }): Step[] {
  const k = tenant.own[0]!;
  const n = 1 + (round % 5);
  const ownUsers = tenant.own.flatMap((d) => [userId(d, 1), userId(d, 2)]);
  const steps: Step[] = [
    { row: 'GET /api/v2/routing/queues', method: 'GET', path: `/api/v2/routing/queues?pageSize=100&pageNumber=${1 + (round % 2)}`, statuses: [200] },
    { row: 'GET /api/v2/routing/queues/divisionviews', method: 'GET', path: '/api/v2/routing/queues/divisionviews?divisionId=*&pageSize=50', statuses: [200] },
    { row: 'GET /api/v2/routing/queues/divisionviews/all', method: 'GET', path: '/api/v2/routing/queues/divisionviews/all?pageSize=100', statuses: [200] },
    { row: 'GET /api/v2/routing/queues/{queueId}', method: 'GET', path: `/api/v2/routing/queues/${queueId(k, n + 1)}`, statuses: [200] },
    { row: 'GET /api/v2/routing/queues/{queueId}/members', method: 'GET', path: `/api/v2/routing/queues/${queueId(k, 1)}/members?pageSize=100`, statuses: [200] },
    { row: 'GET /api/v2/routing/queues/{queueId}/users', method: 'GET', path: `/api/v2/routing/queues/${queueId(k, n)}/users`, statuses: [200] },
    { row: 'GET /api/v2/routing/queues/{queueId}/wrapupcodes', method: 'GET', path: `/api/v2/routing/queues/${queueId(k, n)}/wrapupcodes`, statuses: [200], mayNameHome: true },
    { row: 'GET /api/v2/users', method: 'GET', path: '/api/v2/users?pageSize=25', statuses: [200] },
    { row: 'GET /api/v2/users/{userId}', method: 'GET', path: `/api/v2/users/${userId(k, n)}`, statuses: [200] },
    { row: 'GET /api/v2/authorization/divisions', method: 'GET', path: '/api/v2/authorization/divisions', statuses: [200] },
    { row: 'GET /api/v2/authorization/divisions/{divisionId}', method: 'GET', path: `/api/v2/authorization/divisions/${divisionId(k)}`, statuses: [200] },
    {
      row: 'POST /api/v2/analytics/queues/observations/query',
      method: 'POST',
      path: '/api/v2/analytics/queues/observations/query',
      body: { filter: { type: 'or', predicates: [{ dimension: 'mediaType', value: 'voice' }] }, metrics: ['oWaiting', 'oMemberUsers'] },
      statuses: [200],
    },
    {
      row: 'POST /api/v2/analytics/conversations/aggregates/query',
      method: 'POST',
      path: '/api/v2/analytics/conversations/aggregates/query',
      body: { interval: INTERVAL, groupBy: round % 2 ? ['queueId'] : ['userId'], metrics: ['nOffered', 'tHandle'] },
      statuses: [200],
    },
    {
      row: 'POST /api/v2/analytics/conversations/details/query',
      method: 'POST',
      path: '/api/v2/analytics/conversations/details/query',
      body: { interval: INTERVAL, paging: { pageSize: 25, pageNumber: 1 } },
      statuses: [200],
    },
    { row: 'GET /api/v2/analytics/conversations/{conversationId}/details', method: 'GET', path: `/api/v2/analytics/conversations/${conversationId(k, 1)}/details`, statuses: [200] },
    { row: 'GET /api/v2/presence/definitions', method: 'GET', path: '/api/v2/presence/definitions', statuses: [200] },
    { row: 'GET /api/v2/presencedefinitions', method: 'GET', path: '/api/v2/presencedefinitions?pageSize=5', statuses: [200] },
    {
      row: 'POST /api/v2/analytics/users/observations/query',
      method: 'POST',
      path: '/api/v2/analytics/users/observations/query',
      body: { filter: { type: 'or', predicates: ownUsers.map((value) => ({ dimension: 'userId', value })) }, metrics: ['oUserPresences'] },
      statuses: [200],
    },
    {
      row: 'POST /api/v2/analytics/users/aggregates/query',
      method: 'POST',
      path: '/api/v2/analytics/users/aggregates/query',
      body: { interval: INTERVAL, groupBy: ['userId'], metrics: ['tAgentRoutingStatus'] },
      statuses: [200],
    },
  ];
  steps.push(
    { row: 'GET /api/v2/users/presences/purecloud/bulk', method: 'GET', path: `/api/v2/users/presences/purecloud/bulk?id=${ownUsers.join(',')}`, statuses: [200] },
    { row: 'GET /api/v2/users/{userId}/routingstatus', method: 'GET', path: `/api/v2/users/${userId(k, n)}/routingstatus`, statuses: [200] },
    { row: 'GET /api/v2/users/{userId}/presences/purecloud', method: 'GET', path: `/api/v2/users/${userId(k, n)}/presences/purecloud`, statuses: [200] },
    { row: 'GET /api/v2/systempresences', method: 'GET', path: '/api/v2/systempresences', statuses: [200] },
    { row: 'POST /api/v2/analytics/users/details/query', method: 'POST', path: '/api/v2/analytics/users/details/query', body: { interval: INTERVAL, paging: { pageSize: 25, pageNumber: 1 } }, statuses: [200] },
    { row: 'GET /api/v2/notifications/availabletopics', method: 'GET', path: '/api/v2/notifications/availabletopics', statuses: [200] },
  );
  // A notification channel now and then (20 per key at most); its subscriptions changed every round.
  if (round % 50 === 0 || state.channelId === undefined) {
    steps.push({
      row: 'POST /api/v2/notifications/channels',
      method: 'POST',
      path: '/api/v2/notifications/channels',
      statuses: [200],
      then: (body) => {
        state.channelId = (body as { id: string }).id;
      },
    });
  }
  {
    // After the POST above in the same round, or the channel of an earlier round.
    const channel = () => `/api/v2/notifications/channels/${state.channelId ?? 'none'}`;
    const subscriptions = () => `${channel()}/subscriptions`;
    const topics = ownUsers.map((id) => ({ id: `v2.users.${id}?presence&routingStatus` }));
    steps.push(
      { row: 'GET /api/v2/notifications/channels', method: 'GET', path: '/api/v2/notifications/channels', statuses: [200] },
      { row: 'HEAD /api/v2/notifications/channels/{channelId:token}', method: 'HEAD', path: '', pathAfter: channel, statuses: [200] },
      { row: 'PUT /api/v2/notifications/channels/{channelId:token}/subscriptions', method: 'PUT', path: '', pathAfter: subscriptions, body: topics, statuses: [200] },
      { row: 'POST /api/v2/notifications/channels/{channelId:token}/subscriptions', method: 'POST', path: '', pathAfter: subscriptions, body: [{ id: `v2.analytics.queues.${queueId(k, n)}.observations` }], statuses: [200] },
      { row: 'GET /api/v2/notifications/channels/{channelId:token}/subscriptions', method: 'GET', path: '', pathAfter: subscriptions, statuses: [200] },
      { row: 'DELETE /api/v2/notifications/channels/{channelId:token}/subscriptions', method: 'DELETE', path: '', pathAfter: subscriptions, statuses: [204] },
    );
  }
  // One job now and then (the simulator keeps every job it is given); polled every round.
  if (round % 50 === 0 || state.jobId === undefined) {
    steps.push({
      row: 'POST /api/v2/analytics/conversations/details/jobs',
      method: 'POST',
      path: '/api/v2/analytics/conversations/details/jobs',
      body: { interval: INTERVAL },
      statuses: [202],
      then: (body) => {
        state.jobId = (body as { jobId: string }).jobId;
      },
    });
  }
  if (state.jobId !== undefined) {
    steps.push(
      { row: 'GET /api/v2/analytics/conversations/details/jobs/{jobId:token}', method: 'GET', path: `/api/v2/analytics/conversations/details/jobs/${state.jobId}`, statuses: [200] },
      { row: 'GET /api/v2/analytics/conversations/details/jobs/{jobId:token}/results', method: 'GET', path: `/api/v2/analytics/conversations/details/jobs/${state.jobId}/results`, statuses: [200] },
    );
  }
  if (tenant.writes) {
    steps.push({ row: 'PUT /api/v2/routing/queues/{queueId}', method: 'PUT', path: `/api/v2/routing/queues/${queueId(k, 30)}`, body: { name: `Soak ${round % 7}`, division: { id: divisionId(k) } }, statuses: [200] });
    // Create and delete in turn, so the org keeps its size.
    if (state.createdQueue === undefined) {
      steps.push({
        row: 'POST /api/v2/routing/queues',
        method: 'POST',
        path: '/api/v2/routing/queues',
        body: { name: `Soak created ${round}`, division: { id: divisionId(k) } },
        statuses: [200],
        then: (body) => {
          state.createdQueue = (body as { id: string }).id;
        },
      });
    } else {
      const created = state.createdQueue;
      steps.push({
        row: 'DELETE /api/v2/routing/queues/{queueId}',
        method: 'DELETE',
        path: `/api/v2/routing/queues/${created}`,
        statuses: [200, 204],
        then: () => {
          state.createdQueue = undefined;
        },
      });
    }
  }
  return steps;
}

interface Started {
  readonly sim: Simulator;
  readonly simulator: RunningSimulator;
  readonly child: ChildProcessWithoutNullStreams;
  readonly exit: Promise<number | null>;
  readonly port: number;
  readonly metricsPort: number;
  readonly tenantsDir: string;
  readonly errorLines: string[];
}

async function start(): Promise<Started> {
  if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: build first (npm run build; npm test and npm run test:soak do)');
  const sim = createSimulator();
  const simulator = await sim.listen(0);
  const tenantsDir = await mkdtemp(path.join(os.tmpdir(), 'gdp-soak-tenants-'));
  for (const tenant of SOAK_TENANTS) {
    const text = tenantYaml(tenant.id, tenant.own.map(divisionId), [{ id: `${tenant.id}-soak`, key: tenant.key }], tenant.writes ? 'read-write' : 'read-only');
    await writeFile(path.join(tenantsDir, `${tenant.id}.yaml`), text);
  }
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      GENESYS_API_URL: simulator.url,
      GENESYS_LOGIN_URL: simulator.url,
      GENESYS_CLIENT_ID: 'sim-client-id',
      GENESYS_CLIENT_SECRET: 'sim-client-secret',
      TENANTS_DIR: tenantsDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      // Audit lines are info: at warn, what the proxy writes is only what needs a look.
      LOG_LEVEL: 'warn',
      UPSTREAM_REQUESTS_PER_MINUTE: '1000000',
      DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000000',
      SHUTDOWN_TIMEOUT_MS: '5000',
    },
  });
  const errorLines: string[] = [];
  let pending = '';
  const collect = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/"level":(50|60)/.test(line) || line.startsWith('Error')) errorLines.push(line.slice(0, 500));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started: Started = { sim, simulator, child, exit, port, metricsPort, tenantsDir, errorLines };
  for (let i = 0; i < 200; i++) {
    const ready = await getText(metricsPort, '/readyz').catch(() => undefined);
    if (ready?.status === 200) return started;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  await simulator.close();
  throw new Error(`the proxy did not become ready:\n${errorLines.join('\n')}`);
}

function getText(port: number, target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** The proxy's RSS and live heap, from its own Prometheus metrics. */
async function proxyMemory(metricsPort: number): Promise<{ rss: number; heap: number } | undefined> {
  const metrics = await getText(metricsPort, '/metrics').catch(() => undefined);
  if (!metrics) return undefined;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics.text)?.[1] ?? NaN);
  const rss = value('gdp_process_resident_memory_bytes');
  return Number.isFinite(rss) ? { rss, heap: value('gdp_nodejs_heap_size_used_bytes') } : undefined;
}

function send(agent: http.Agent, port: number, tenant: SoakTenant, step: Step): Promise<{ status: number; text: string }> {
  const payload = step.body === undefined ? undefined : JSON.stringify(step.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: step.method,
        path: step.path,
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'x-api-key': tenant.key, ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: `${JSON.stringify(res.headers)}\n${Buffer.concat(chunks).toString('utf8')}` }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const s = await start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const statuses: Record<string, number> = {};
  const examples: string[] = [];
  const rowsHit = new Set<string>();
  const note = (text: string) => {
    if (examples.length < 10) examples.push(text);
  };
  let requests = 0;
  let leaks = 0;
  let unexpected5xx = 0;
  let unexpectedStatuses = 0;
  let upstreamCalls = 0;
  let problems = 0;
  const audit = () => {
    const entries = s.sim.requestLog.all();
    s.sim.requestLog.clear();
    upstreamCalls += entries.length;
    const found = upstreamProblems(entries, SOAK_TENANTS.map((tenant) => tenant.key));
    problems += found.length;
    found.slice(0, 3).forEach(note);
  };

  const first = await proxyMemory(s.metricsPort);
  const rss = { start: first?.rss ?? 0, warm: 0, peak: 0, end: 0 };
  const heap = { warm: 0, end: 0 };
  const startedAt = Date.now();
  const warmAt = startedAt + options.warmupMs;
  const deadline = startedAt + options.durationMs;
  let warmedUp = false;
  let sampling = Promise.resolve();
  const sample = async () => {
    audit();
    const memory = await proxyMemory(s.metricsPort);
    if (!memory) return;
    if (!warmedUp && Date.now() >= warmAt) {
      warmedUp = true;
      rss.warm = memory.rss;
      heap.warm = memory.heap;
    }
    if (warmedUp) rss.peak = Math.max(rss.peak, memory.rss);
    rss.end = memory.rss;
    heap.end = memory.heap;
  };
  const sampler = setInterval(() => {
    sampling = sampling.then(sample);
  }, 1000);

  const worker = async (tenant: SoakTenant, workerIndex: number) => {
    const state: { jobId?: string; createdQueue?: string; channelId?: string } = {};
    for (let round = workerIndex; round < MAX_ITERATIONS_PER_WORKER && Date.now() < deadline; round += 1) {
      for (const planned of roundOf(tenant, round, state)) {
        if (Date.now() >= deadline) return;
        const step = planned.pathAfter ? { ...planned, path: planned.pathAfter() } : planned;
        let answer: { status: number; text: string };
        try {
          answer = await send(agent, s.port, tenant, step);
        } catch (error) {
          unexpectedStatuses += 1;
          note(`${tenant.id} ${step.method} ${step.path}: ${(error as Error).message}`);
          continue;
        }
        requests += 1;
        rowsHit.add(step.row);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 500) {
          unexpected5xx += 1;
          note(`${answer.status} to ${tenant.id} ${step.method} ${step.path}: ${answer.text.slice(0, 200)}`);
        } else if (!step.statuses.includes(answer.status)) {
          unexpectedStatuses += 1;
          note(`${answer.status} to ${tenant.id} ${step.method} ${step.path}: ${answer.text.slice(0, 200)}`);
        } else {
          step.then?.(JSON.parse(answer.text.slice(answer.text.indexOf('\n') + 1) || 'null'));
        }
        const leaked = foreignIdsIn(answer.text, tenant.own, s.sim.org, { request: step.path, mayNameHome: step.mayNameHome === true });
        if (leaked.length > 0) {
          leaks += 1;
          note(`leak to ${tenant.id} on ${step.method} ${step.path}: ${leaked.slice(0, 3).join(', ')}`);
        }
      }
    }
  };

  const workers = options.workersPerTenant ?? 3;
  try {
    await Promise.all(SOAK_TENANTS.flatMap((tenant) => Array.from({ length: workers }, (_, i) => worker(tenant, i))));
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
  const durationMs = Date.now() - startedAt;
  await sampling;
  await sample();
  if (!warmedUp) {
    rss.warm = rss.start;
    rss.peak = Math.max(rss.start, rss.end);
  }
  s.child.kill('SIGTERM');
  let drainTimer: NodeJS.Timeout | undefined;
  const exitCode = await Promise.race([s.exit, new Promise<null>((resolve) => (drainTimer = setTimeout(() => resolve(null), 10_000)))]);
  clearTimeout(drainTimer);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
  audit();
  await s.simulator.close();
  await rm(s.tenantsDir, { recursive: true, force: true });

  return {
    durationMs,
    requests,
    requestsPerSecond: Math.round((requests / durationMs) * 1000),
    statuses,
    leaks,
    unexpected5xx,
    unexpectedStatuses,
    rowsNotCovered: policyTable.map((rule) => `${rule.method} ${rule.path}`).filter((row) => !rowsHit.has(row)),
    upstreamCalls,
    upstreamProblems: problems,
    errorLogLines: s.errorLines.length,
    exitCode,
    rssMiB: { start: mib(rss.start), warm: mib(rss.warm), peak: mib(rss.peak), end: mib(rss.end) },
    rssGrowthAfterWarmupMiB: mib(rss.peak - rss.warm),
    heapMiB: { warm: mib(heap.warm), end: mib(heap.end) },
    examples: [...examples, ...s.errorLines.slice(0, 3)],
  };
}

export function describeFigures(figures: SoakFigures): string {
  const { rssMiB: rss } = figures;
  return [
    `soak: ${(figures.durationMs / 1000).toFixed(1)} s, ${SOAK_TENANTS.length} tenants in parallel, every policy row, the proxy as its own process`,
    `  requests ${figures.requests} (${figures.requestsPerSecond}/s), statuses ${JSON.stringify(figures.statuses)}, upstream calls ${figures.upstreamCalls}`,
    `  leaks ${figures.leaks}, unexpected 5xx ${figures.unexpected5xx}, other unexpected answers ${figures.unexpectedStatuses}, upstream problems ${figures.upstreamProblems}, error log lines ${figures.errorLogLines}`,
    `  RSS MiB: start ${rss.start}, after warm-up ${rss.warm}, peak ${rss.peak}, end ${rss.end} (growth after warm-up ${figures.rssGrowthAfterWarmupMiB}); heap in use ${figures.heapMiB.warm} → ${figures.heapMiB.end}; exit code ${figures.exitCode}`,
    ...(figures.rowsNotCovered.length ? [`  rows not reached: ${figures.rowsNotCovered.join(', ')}`] : []),
    ...figures.examples.map((example) => `  ! ${example}`),
  ].join('\n');
}

/** The bound the soak holds the process to: RSS growth after warm-up. */
export const RSS_GROWTH_LIMIT_MIB = 64;
