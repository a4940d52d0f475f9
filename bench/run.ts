import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETTING_NAMES } from '../src/config/settings.js';
import { killAllChildren, resetPeakMemory, startChild, type Child } from './children.js';
import { benchTenants, CLIENT_ID, CLIENT_SECRET, LARGE_ANSWER_BYTES, SEED, writeTenantsDir } from './fixture.js';
import { runLoad } from './load.js';
import { runAnalyticsCalls } from './analytics-calls.js';
import { runPolling } from './polling.js';
import { measure, type UpstreamCounts } from './measure.js';
import { summariseProfile, type CpuProfile } from './profile.js';
import { maxOf, renderReport, TARGETS, type BenchReport, type Cell, type MachineInfo, type Mode, type PollingResult, type Probe, type ScenarioInfo, type TargetName } from './report.js';
import type { LoadRequest } from './load.js';
import { countItems, largeScenario, proxyRequest, requestsFor, scenarios, tenantRequests, type Scenario, type TenantRequest, type UpstreamForm } from './scenarios.js';

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  rounds: number('BENCH_ROUNDS', 3),
  connections: number('BENCH_CONNECTIONS', 50),
  seconds: number('BENCH_SECONDS', 4),
  singleSeconds: number('BENCH_SINGLE_SECONDS', 1.5),
  largeRequests: number('BENCH_LARGE_REQUESTS', 5),
  warmupSeconds: number('BENCH_WARMUP_SECONDS', 1),
  timeoutSeconds: number('BENCH_TIMEOUT_SECONDS', 900),
  profile: process.env['BENCH_PROFILE'] !== '0',
  pollSeconds: number('BENCH_POLL_SECONDS', 10),
  pollCacheTtls: (process.env['BENCH_POLL_CACHE_TTLS'] ?? '0,2000,5000').split(',').map(Number),
  /** BENCH_SCENARIOS: only these parts (scenario ids, `large`, `polling`, `analytics`), for a quick look at one. */
  only: process.env['BENCH_SCENARIOS']?.split(',').map((id) => id.trim()),
};
const included = (id: string) => config.only === undefined || config.only.includes(id);

const buildDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(buildDir, '../..');
const script = (name: string) => path.join(buildDir, name);
const log = (text: string) => process.stderr.write(`${text}\n`);

interface Target {
  readonly url: string;
  readonly child: Child | undefined;
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (!response.ok) throw new Error(`login to the Genesys stand-in failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function probe(url: string, request: LoadRequest): Promise<Probe & { excerpt: string }> {
  const response = await fetch(url + request.path, { method: request.method, headers: request.headers, ...(request.body ? { body: request.body } : {}) });
  const bytes = Buffer.from(await response.arrayBuffer());
  let items = 0;
  try {
    items = countItems(JSON.parse(bytes.toString('utf8')));
  } catch {
    // Not JSON: reported through the status and the excerpt.
  }
  return { status: response.status, bytes: bytes.length, items, excerpt: bytes.subarray(0, 200).toString('utf8') };
}

function describeVariants(infos: readonly ScenarioInfo[]): string {
  return infos
    .filter((info) => info.requests === 'distinct' && (info.variants ?? 0) > 1)
    .map((info) => `${info.title}: ${info.variants} (${info.variety ?? ''})`)
    .join('; ');
}

function machine(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // Not Linux: keep what os.cpus() says.
  }
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpus: os.availableParallelism(),
    cpuModel,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
  };
}

/** The proxy reads its settings from the environment: none may leak in from the caller's shell. */
function proxyEnv(upstreamUrl: string, tenantsDir: string): Record<string, string> {
  for (const name of SETTING_NAMES) delete process.env[name];
  return {
    GENESYS_API_URL: upstreamUrl,
    GENESYS_LOGIN_URL: upstreamUrl,
    GENESYS_CLIENT_ID: CLIENT_ID,
    GENESYS_CLIENT_SECRET: CLIENT_SECRET,
    TENANTS_DIR: tenantsDir,
    LOG_LEVEL: 'info',
    // The benchmark measures cost, not the budget: limits that would refuse the load are lifted.
    UPSTREAM_REQUESTS_PER_MINUTE: '1000000',
    DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000000',
    METRICS_PORT: '0',
    BENCH_PROFILE_FILE: path.join(outDir, 'proxy.cpuprofile'),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  await mkdir(outDir, { recursive: true });
  const { bpos, bulk } = benchTenants();
  const tenantsDir = await writeTenantsDir([...bpos, bulk]);
  cleanUps.push(tenantsDir.remove);
  try {
    log('starting the Genesys stand-in, the pass-through and the proxy…');
    const upstream = await startChild('upstream', script('upstream-child.js'), {});
    const upstreamUrl = String(upstream.ready['url']);
    const token = await login(upstreamUrl);
    const passthrough = await startChild('passthrough', script('passthrough-child.js'), {
      BENCH_UPSTREAM_URL: upstreamUrl,
      BENCH_CLIENT_ID: CLIENT_ID,
      BENCH_CLIENT_SECRET: CLIENT_SECRET,
    });
    const proxy = await startChild('proxy', script('proxy-child.js'), proxyEnv(upstreamUrl, tenantsDir.dir));
    const parsed = await startChild('parsed', script('proxy-child.js'), { ...proxyEnv(upstreamUrl, tenantsDir.dir), SCOPE_ON_BYTES: 'false' });
    const targets: Record<TargetName, Target> = {
      direct: { url: upstreamUrl, child: undefined },
      passthrough: { url: String(passthrough.ready['url']), child: passthrough },
      proxy: { url: String(proxy.ready['url']), child: proxy },
      parsed: { url: String(parsed.ready['url']), child: parsed },
    };
    const peakResettable = resetPeakMemory(proxy.pid);

    /** Per scenario: the tenants' requests and, for each, what Genesys got for it through the proxy. */
    const prepared = new Map<string, { readonly tenantRequests: readonly TenantRequest[]; readonly forms: readonly UpstreamForm[] }>();
    const requests = (scenario: Scenario, target: TargetName) => {
      const { tenantRequests: list, forms } = prepared.get(scenario.id)!;
      return requestsFor(target, list, forms, token);
    };
    // Each run of a target starts past every request its previous run on the scenario sent, so a
    // request comes round again only after the others (the proxy keeps details lists a minute).
    const cursors = new Map<string, number>();
    const cursorKey = (scenario: Scenario, target: TargetName) => `${scenario.id}\n${target}`;
    const advance = (scenario: Scenario, target: TargetName, sent: number) =>
      cursors.set(cursorKey(scenario, target), (cursors.get(cursorKey(scenario, target)) ?? 0) + sent);
    const plan = (scenario: Scenario, target: TargetName, mode: Mode, warmup = false) => ({
      baseUrl: targets[target].url,
      child: targets[target].child,
      upstream,
      requests: requests(scenario, target),
      startAt: cursors.get(cursorKey(scenario, target)) ?? 0,
      connections: mode === 'many' ? config.connections : 1,
      maxSeconds: 60,
      ...(scenario.largeBodyGoal
        ? { amount: warmup ? 1 : config.largeRequests }
        : { seconds: warmup ? config.warmupSeconds : mode === 'many' ? config.seconds : config.singleSeconds }),
    });
    const infos: ScenarioInfo[] = [];
    const cells: Cell[] = [];

    /** Probe, warm up, then the interleaved rounds: direct, pass-through, proxy, and again. */
    async function runScenarios(list: readonly Scenario[]): Promise<void> {
      const measured: [Scenario, TargetName[]][] = [];
      for (const scenario of list) {
        const info = await probeScenario(scenario);
        infos.push(info);
        measured.push([scenario, TARGETS.filter((target) => !info.unavailable[target])]);
      }
      for (const [scenario, available] of measured) {
        for (const target of available) advance(scenario, target, (await runLoad(plan(scenario, target, scenario.modes[0]!, true))).span);
      }
      for (let round = 1; round <= config.rounds; round += 1) {
        for (const [scenario, available] of measured) {
          for (const mode of scenario.modes) {
            for (const target of available) {
              const { span, ...sample } = await measure(plan(scenario, target, mode));
              advance(scenario, target, span);
              let cell = cells.find((c) => c.scenario === scenario.id && c.target === target && c.mode === mode);
              if (!cell) cells.push((cell = { scenario: scenario.id, target, mode, samples: [] }));
              cell.samples.push(sample);
              const cpu = sample.cpuUsPerRequest === undefined ? '' : `, ${Math.round(sample.cpuUsPerRequest)} µs CPU/req`;
              const failed = sample.failures > 0 ? `, ${sample.failures} FAILED ${JSON.stringify(sample.statusCodes)}` : '';
              log(`round ${round}/${config.rounds} ${scenario.id} ${mode === 'many' ? config.connections : 1} conn. ${target}: ${Math.round(sample.rps)} rps, p50 ${sample.p50Ms.toFixed(2)} ms${cpu}${failed}`);
            }
          }
        }
      }
    }

    /**
     * Every request of the scenario through the proxy, one at a time, recording what Genesys
     * receives for each: direct and the pass-through then send exactly that (and the stand-in has
     * the answers stored). Each request must make one Genesys call, and distinct requests must
     * differ upstream too, or the proxy would share their calls.
     */
    async function upstreamForms(scenario: Scenario, list: readonly TenantRequest[]): Promise<UpstreamForm[] | string> {
      const forms: UpstreamForm[] = [];
      await upstream.ask('record-start');
      try {
        for (const request of list) {
          const answer = await probe(targets.proxy.url, proxyRequest(request));
          const received = await upstream.ask<UpstreamForm[]>('record-take');
          if (answer.status === 403) return 'the proxy refuses this route (403)';
          if (answer.status !== 200) return `the proxy answered ${answer.status}: ${answer.excerpt.replaceAll('|', '/')}`;
          if (received.length !== 1) {
            throw new Error(`${scenario.title}: ${request.method} ${request.path} of ${request.tenant.id} made ${received.length} Genesys calls through the proxy; the benchmark needs one`);
          }
          forms.push(received[0]!);
        }
      } finally {
        await upstream.ask('record-stop');
      }
      const keys = new Set(forms.map((form) => `${form.method} ${form.url}\n${form.body}`));
      if (scenario.requests === 'distinct' && keys.size !== forms.length) {
        throw new Error(`${scenario.title}: ${forms.length - keys.size} requests reach Genesys the same as another; distinct requests must not be shared`);
      }
      return forms;
    }

    /** One request per target: a route the proxy refuses is reported, not measured. */
    async function probeScenario(scenario: Scenario): Promise<ScenarioInfo> {
      const unavailable: ScenarioInfo['unavailable'] = {};
      const probes: ScenarioInfo['probes'] = {};
      const list = tenantRequests(scenario, scenario.tenants === 'bpos' ? bpos : [bulk]);
      const forms = await upstreamForms(scenario, list);
      const { queries: _queries, tenants: _tenants, ...described } = scenario;
      if (typeof forms === 'string') {
        for (const target of TARGETS) unavailable[target] = target === 'proxy' ? forms : 'no upstream form to send: the proxy did not answer';
        log(`${scenario.title}: ${forms}`);
        return { ...described, variants: list.length, unavailable, probes };
      }
      prepared.set(scenario.id, { tenantRequests: list, forms });
      // Routes with no byte path are scoped the same way with SCOPE_ON_BYTES=false: nothing to compare.
      if (!scenario.bytePath) unavailable.parsed = 'not scoped on bytes (same as proxy)';
      for (const target of TARGETS.filter((t) => !unavailable[t])) {
        const answer = await probe(targets[target].url, requests(scenario, target)[0]!);
        if (answer.status === 403 && (target === 'proxy' || target === 'parsed')) unavailable[target] = 'the proxy refuses this route (403)';
        else if (answer.status !== 200) unavailable[target] = `answered ${answer.status}: ${answer.excerpt.replaceAll('|', '/')}`;
        probes[target] = { status: answer.status, bytes: answer.bytes, items: answer.items };
      }
      log(`${scenario.title}: ${list.length} requests; ${TARGETS.filter((t) => probes[t]).map((t) => `${t} ${probes[t]?.status}, ${probes[t]?.items} items, ${probes[t]?.bytes} B`).join('; ')}`);
      return { ...described, variants: list.length, unavailable, probes };
    }

    // The proxy loads its directories on the first tenant request: done here, not while recording.
    for (const tenant of [...bpos, bulk]) {
      for (const target of [targets.proxy, targets.parsed]) await probe(target.url, { method: 'GET', path: '/api/v2/routing/queues?pageSize=1', headers: { 'x-api-key': tenant.key } });
    }
    const regular = scenarios().filter((scenario) => included(scenario.id) || included(`${scenario.id}-identical`));
    await runScenarios(regular);

    const profiles: BenchReport['profiles'][number][] = [];
    for (const scenario of regular) {
      if (!config.profile || scenario.requests !== 'distinct' || infos.find((info) => info.id === scenario.id)?.unavailable.proxy || !scenario.modes.includes('many')) continue;
      log(`profiling the proxy: ${scenario.title}…`);
      await proxy.ask('profile-start');
      advance(scenario, 'proxy', (await runLoad(plan(scenario, 'proxy', 'many'))).span);
      // Kept for DevTools (Performance → load profile), one file per scenario.
      const file = path.join(outDir, `proxy-${scenario.id}.cpuprofile`);
      await rename(await proxy.ask<string>('profile-stop'), file);
      profiles.push({ scenario: scenario.title, ...summariseProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile) });
    }

    // Polling, with the read cache off (the running proxy) and on (a proxy started for each TTL).
    const polling: PollingResult[] = [];
    const observations = scenarios().find((scenario) => scenario.id === 'observations')!;
    // One scheduler per tenant, each polling its own first 25 queues.
    const polls = tenantRequests(observations, bpos).slice(0, bpos.length).map(proxyRequest);
    for (const ttl of included('polling') ? config.pollCacheTtls : []) {
      const poller = ttl === 0 ? proxy : await startChild(`proxy-cache-${ttl}`, script('proxy-child.js'), { ...proxyEnv(upstreamUrl, tenantsDir.dir), READ_CACHE_TTL_MS: String(ttl) });
      const result = await runPolling({ proxyUrl: String(poller.ready['url']), upstream, requests: polls, readCacheTtlMs: ttl, pollIntervalMs: 1000, seconds: config.pollSeconds });
      log(`polling, read cache ${ttl === 0 ? 'off' : `${ttl} ms`}: ${result.polls} polls, ${result.upstreamCalls} Genesys calls (${result.upstreamCallsPerPoll.toFixed(3)} per poll)`);
      polling.push(result);
      if (poller !== proxy) await poller.stop();
    }

    const analyticsCalls = !included('analytics') ? undefined : await runAnalyticsCalls({
      proxyUrl: targets.proxy.url,
      upstream,
      headers: polls[0]!.headers,
      interval: '2026-11-01T00:00:00.000Z/2026-11-20T00:00:00.000Z',
      pageSize: 25,
    });
    if (analyticsCalls) log(`analytics: details ${analyticsCalls.callsPerDetailsPage.join(', ')} Genesys calls per page; aggregates ${analyticsCalls.aggregates.map((row) => `${row.query} ${row.calls}`).join(', ')}`);

    const { bulkQueues } = included('large') ? await upstream.ask<{ bulkQueues: number }>('add-bulk', 120_000) : { bulkQueues: 0 };
    if (included('large')) await runScenarios([largeScenario(bulkQueues)]);

    const upstreamTotals = await upstream.ask<UpstreamCounts>('counts');
    const peak = (target: TargetName) => maxOf(cells.filter((c) => c.target === target).flatMap((c) => c.samples), 'peakRssBytes');
    const report: BenchReport = {
      machine: machine(),
      setup: [
        `Processes on 127.0.0.1, sharing the machine's CPUs: the load generator (autocannon 8), the Genesys stand-in (the simulator's data behind a memoising front that serves stored bytes), the proxy (\`src/\`, compiled) and a bare express 5 + http-proxy-middleware 3 pass-through.`,
        `**direct** calls the stand-in with a Genesys token, sending for each tenant request exactly what the stand-in received for it from the proxy (recorded by sending every request through the proxy once before the rounds, which checks that each makes one Genesys call), so all three targets get the same upstream answers; the **pass-through** forwards those same requests with its own token.`,
        `**Distinct requests** (the headline figures): each scenario sends many different requests, the tenants taking turns — ${describeVariants(infos)} — and each connection sends its own share of them, so no two requests in flight are the same and the proxy's in-flight read sharing has nothing to share. Each run goes on where the target's previous run stopped. **Identical requests** (the coalescing case): one request per tenant, as the benchmark sent before, reported apart.`,
        `${bpos.length} tenants of 2 divisions each (500 queues, 200 conversations), requests spread over them, \`X-API-Key\` auth; the large answer is one tenant's division padded to ${bulkQueues} queues (${(LARGE_ANSWER_BYTES / 1024 / 1024).toFixed(0)} MiB) after the other scenarios, so their org keeps ${(SEED.extraDivisions + 5) * SEED.queuesPerDivision} queues. Proxy with \`LOG_LEVEL=info\` (one audit line per request, to /dev/null), rate limits lifted to 1,000,000/min, read cache off (the default).`,
        `${config.rounds} rounds, interleaved (direct, pass-through, proxy for each scenario and connection count); ${config.connections} connections for ${config.seconds} s, 1 connection for ${config.singleSeconds} s; large answer: ${config.largeRequests} requests at 1 connection. Medians of the rounds.`,
        `CPU per request: \`process.cpuUsage()\` (user + system, all threads) of the target's process over the run ÷ 2xx answers. Peak RSS: VmHWM of the process during the run${peakResettable ? ' (reset before each run)' : ' (since the process started: this kernel refused the reset)'}.`,
        `Upstream calls per tenant request: Genesys API calls the stand-in received during the run ÷ answers; logins ("logins") and the proxy's background directory reloads are counted apart.`,
      ],
      scenarios: infos,
      cells,
      peakRssBytes: { passthrough: peak('passthrough'), proxy: peak('proxy') },
      upstreamTotals,
      profiles,
      polling,
      ...(analyticsCalls ? { analyticsCalls } : {}),
      elapsedSeconds: (performance.now() - started) / 1000,
    };
    const markdown = renderReport(report);
    await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(outDir, 'results.md'), markdown);
    // The committed copy: the latest whole run, with the machine it ran on (a partial one is not it).
    const committed = path.resolve(outDir, '..', 'RESULTS.md');
    if (config.only === undefined) await writeFile(committed, markdown);
    process.stdout.write(`\n${markdown}\nWritten to ${path.relative(process.cwd(), outDir)}/results.md and results.json, and ${path.relative(process.cwd(), committed)}\n`);
  } finally {
    cleanUp();
  }
}

const cleanUps: (() => void)[] = [killAllChildren];
function cleanUp(): void {
  for (const step of cleanUps) step();
}

// Bounded whatever happens: a watchdog kills every child, and so does any signal or error.
const watchdog = setTimeout(() => {
  log(`the benchmark went past BENCH_TIMEOUT_SECONDS=${config.timeoutSeconds}; stopping`);
  cleanUp();
  process.exit(2);
}, config.timeoutSeconds * 1000);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}
main().then(
  () => {
    clearTimeout(watchdog);
    // Keep-alive sockets of the probes would hold the process open for seconds.
    process.exit(0);
  },
  (error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    cleanUp();
    process.exit(1);
  },
);
