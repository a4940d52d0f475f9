import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { createSimulator } from '../src/simulator/index.js';
import { divisionId } from '../src/simulator/seed-ids.js';
import { serveControl } from './child-control.js';
import { BULK_DIVISION, CLIENT_ID, CLIENT_SECRET, LARGE_ANSWER_BYTES, SEED } from './fixture.js';
import type { UpstreamForm } from './scenarios.js';

/**
 * The Genesys stand-in of the benchmark: the simulator's data behind a memoising front. The
 * simulator builds every answer with express and JSON.stringify (about 3.7 ms for 500 queues on a
 * 2-core machine), which would make "direct" a benchmark of the simulator and take CPU from the
 * proxy. The front asks the simulator once per distinct request (method, URL, body) and then
 * serves the same bytes, checking the bearer token each time, so Genesys costs next to nothing
 * and what remains is the cost of what sits in between. Logins always reach the simulator.
 */
const sim = createSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, seed: SEED, maxPageSize: 1_000_000, logRequests: false });

/**
 * Pads the bulk division until its listing reaches the large-answer size. Done on request, after
 * the other scenarios, so that their org (and the proxy's queue directory) stays its normal size.
 */
function addBulkQueues(): { bulkQueues: number; bulkBytes: number } {
  const bulkDivision = divisionId(BULK_DIVISION);
  let bulkQueues = sim.org.queues.filter((q) => q.division.id === bulkDivision).length;
  let bulkBytes = sim.org.queues.filter((q) => q.division.id === bulkDivision).reduce((sum, q) => sum + JSON.stringify(q).length + 1, 0);
  while (bulkBytes < LARGE_ANSWER_BYTES && bulkQueues < 1_000_000) {
    bulkBytes += JSON.stringify(sim.org.createQueue({ name: `Bulk Queue ${bulkQueues}`, divisionId: bulkDivision })).length + 1;
    bulkQueues += 1;
  }
  return { bulkQueues, bulkBytes };
}

const simulator = await sim.listen(0, '127.0.0.1');

interface Stored {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}
const memo = new Map<string, Promise<Stored>>();
const MAX_MEMO_ENTRIES = 5_000;
const counts = { api: 0, token: 0, background: 0 };
/** While the orchestrator records: every API request received (directory reloads apart), as sent. */
let received: UpstreamForm[] | undefined;

async function askSimulator(req: http.IncomingMessage, body: Buffer): Promise<Stored> {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'accept']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await request(simulator.url + req.url, {
    method: req.method as 'GET',
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
  const contentType = response.headers['content-type'];
  return {
    status: response.statusCode,
    contentType: typeof contentType === 'string' ? contentType : 'application/json',
    body: Buffer.from(await response.body.arrayBuffer()),
  };
}

function bearerIsValid(req: http.IncomingMessage): boolean {
  const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match !== null && sim.tokens.isValid(match[1]!);
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const correlation = req.headers['inin-correlation-id'];
  let stored: Stored;
  if (req.url?.startsWith('/oauth/')) {
    counts.token += 1;
    stored = await askSimulator(req, body);
  } else {
    // The proxy's background directory reloads carry their own correlation id prefix.
    if (typeof correlation === 'string' && correlation.startsWith('directory-refresh-')) counts.background += 1;
    else {
      counts.api += 1;
      const contentType = req.headers['content-type'];
      received?.push({ method: req.method ?? 'GET', url: req.url ?? '', body: body.toString('utf8'), ...(typeof contentType === 'string' ? { contentType } : {}) });
    }
    if (!bearerIsValid(req)) {
      stored = await askSimulator(req, body);
    } else {
      const key = `${req.method} ${req.url}\n${body.toString('utf8')}`;
      let pending = memo.get(key);
      if (!pending) {
        pending = askSimulator(req, body);
        if (memo.size < MAX_MEMO_ENTRIES) memo.set(key, pending);
        pending.then((result) => result.status === 200 || memo.delete(key), () => memo.delete(key));
      }
      stored = await pending;
    }
  }
  const headers: Record<string, string | number> = { 'content-type': stored.contentType, 'content-length': stored.body.length };
  if (typeof correlation === 'string') headers['inin-correlation-id'] = correlation;
  res.writeHead(stored.status, headers);
  res.end(stored.body);
}

const server = http.createServer((req, res) => {
  answer(req, res).catch((error: unknown) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error));
  });
});
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveControl(
  { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
  {
    counts: () => ({ ...counts }),
    'add-bulk': addBulkQueues,
    'record-start': () => {
      received = [];
    },
    'record-take': () => {
      const taken = received ?? [];
      if (received) received = [];
      return taken;
    },
    'record-stop': () => {
      received = undefined;
    },
  },
);
