import { conversationId, divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { expectNoLeak, type TestTenant } from '../support/leaks.js';
import { rawExchange, rawSocketRequest, requestBytes, type RawExchange, type RawRequestSpec, type RawSocketResponse } from '../support/raw-socket.js';
import { keys } from '../support/tenants.js';
import { genesysTokensSeen, logCursor, upstreamProblems } from '../support/upstream-audit.js';
import { eventually } from '../support/wait.js';
import type { LoggedRequest } from '../../src/simulator/index.js';

/**
 * Hostile request shapes, sent over bare sockets so that nothing tidies them on the way. Every case
 * states what the proxy answers; then, for all of them: nothing of another tenant shows, no call
 * Genesys receives is outside the policy table or carries anything of the tenant's, no secret
 * comes back, and the proxy still answers a normal request.
 */

const D0 = divisionId(0);
const D1 = divisionId(1);
const D2 = divisionId(2);
const D3 = divisionId(3);
const OWN_QUEUE = queueId(1, 1);
const GLOBEX_QUEUE = queueId(3, 1);
const ACME = ['X-API-Key', keys.acme] as const;
const QUEUES = '/api/v2/routing/queues';
const OBSERVATIONS = '/api/v2/analytics/queues/observations/query';
const JSON_TYPE = ['Content-Type', 'application/json'] as const;
const observation = (filter: unknown) => JSON.stringify({ filter, metrics: ['oWaiting'] });
const ownObservation = observation({ type: 'or', predicates: [{ dimension: 'queueId', value: OWN_QUEUE }] });
const foreignObservation = observation({ type: 'or', predicates: [{ dimension: 'queueId', value: GLOBEX_QUEUE }] });

type Upstream =
  /** Refused before anything goes to Genesys. */
  | 'none'
  /** Calls are allowed (all of them still audited). */
  | 'listed';

interface Case {
  /** The behaviour, as the test's name. */
  readonly name: string;
  readonly request: RawRequestSpec | { readonly raw: Buffer | string; readonly head?: boolean };
  readonly tenant?: TestTenant;
  /** One status, or the statuses any of which is right (stated per case). */
  readonly status: number | readonly number[];
  /** The Genesys error code; null when Node's HTTP parser answers before the proxy sees a request. */
  readonly code?: string | null;
  readonly upstream: Upstream;
  /** Read until the server closes, to see whether it answers more than once. */
  readonly readAll?: boolean;
  readonly timeoutMs?: number;
  readonly mayNameHome?: boolean;
  readonly check?: (res: RawSocketResponse, calls: readonly LoggedRequest[], exchange: RawExchange) => void;
}

const get = (target: string, ...headers: (readonly [string, string])[]): RawRequestSpec => ({ target, headers: headers.length ? headers : [ACME] });
const post = (target: string, body: string | Buffer, ...headers: (readonly [string, string])[]): RawRequestSpec => ({
  method: 'POST',
  target,
  headers: [...(headers.length ? headers : [ACME, JSON_TYPE]), ['Content-Length', String(Buffer.byteLength(body))]],
  body,
});
const raw = (text: string) => ({ raw: Buffer.from(text, 'latin1') });

const divisionsOfEntities = (res: RawSocketResponse): string[] =>
  ((res.json() as { entities: { division?: { id?: string } }[] }).entities ?? []).map((entity) => entity.division?.id ?? 'none');
const onlyDivisions = (...allowed: string[]) => (res: RawSocketResponse) => {
  const seen = divisionsOfEntities(res);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((id) => !allowed.includes(id))).toEqual([]);
};
const emptyListing = (res: RawSocketResponse, calls: readonly LoggedRequest[]) => {
  expect((res.json() as { entities: unknown[] }).entities).toEqual([]);
  expect(calls.filter((call) => call.path.startsWith('/api/'))).toEqual([]);
};
const upstreamNeverNames = (...ids: string[]) => (_res: RawSocketResponse, calls: readonly LoggedRequest[]) => {
  const sent = calls.map((call) => `${call.url} ${call.body}`).join('\n');
  for (const id of ids) expect(sent).not.toContain(id);
};

const smuggled = `GET /api/v2/users?pageSize=100 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${keys.acme}\r\n\r\n`;

const cases: Case[] = [
  // Dot segments, encodings and other non-canonical paths: 400 before anything else is read.
  ...[
    ['dot segments', `${QUEUES}/../../users`],
    ['dot segments between two ids', `${QUEUES}/${OWN_QUEUE}/../${GLOBEX_QUEUE}/members`],
    ['a single dot segment', '/api/v2/./routing/queues'],
    ['percent-encoded dot segments (%2e%2e)', `${QUEUES}/%2e%2e/%2e%2e/users`],
    ['upper-case encoded dot segments (%2E%2E)', `${QUEUES}/%2E%2E/users`],
    ['half-encoded dot segments (.%2e)', `${QUEUES}/.%2e/.%2e/users`],
    ['half-encoded dot segments (%2e.)', `${QUEUES}/%2e./users`],
    ['double-encoded dot segments (%252e%252e)', `${QUEUES}/%252e%252e/%252e%252e/users`],
    ['an encoded slash (%2f)', `${QUEUES}%2fdivisionviews`],
    ['encoded slashes after dots (..%2f)', `${QUEUES}/..%2f..%2fusers`],
    ['an encoded backslash (%5c)', `${QUEUES}%5c..%5cusers`],
    ['a raw backslash', `${QUEUES}\\..\\..\\users`],
    ['a double slash', '/api/v2//routing/queues'],
    ['a leading double slash', '//api/v2/routing/queues'],
    ['a ;param on the last segment', `${QUEUES};jsessionid=1`],
    ['a ;param on an id', `${QUEUES}/${OWN_QUEUE};x=1/members`],
    ['a trailing slash', `${QUEUES}/`],
    ['an encoded NUL', `${QUEUES}%00`],
    ['an encoded space', `${QUEUES}%20`],
    ['a percent-encoded id', `${QUEUES}/%61${OWN_QUEUE.slice(1)}/members`],
    ['a fragment', `${QUEUES}#divisionviews`],
    ['an absolute-form target', `http://127.0.0.1${QUEUES}`],
    ['a malformed query percent-encoding', `${QUEUES}?name=%zz`],
    ['a target over 8 KiB', `${QUEUES}?name=${'a'.repeat(9000)}`],
  ].map(([what, target]): Case => ({ name: `answers 400 path.not.canonical to ${what}`, request: get(target!), status: 400, code: 'path.not.canonical', upstream: 'none' })),
  {
    name: 'answers 400 path.not.canonical to the asterisk-form OPTIONS *',
    request: { method: 'OPTIONS', target: '*', headers: [ACME] },
    status: 400,
    code: 'path.not.canonical',
    upstream: 'none',
  },
  {
    name: 'answers 400 from the HTTP parser to raw non-ASCII bytes in the path',
    request: { raw: Buffer.concat([Buffer.from(`GET ${QUEUES}/`), Buffer.from([0xc3, 0xa9]), Buffer.from(` HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\n\r\n`)]) },
    status: 400,
    code: null,
    upstream: 'none',
  },

  // Case changes: matching is exact, so these are simply not in the policy table.
  ...['/API/V2/ROUTING/QUEUES', '/api/v2/Routing/Queues', '/api/V2/routing/queues', `${QUEUES}/${OWN_QUEUE}/MEMBERS`, `${QUEUES}/DivisionViews/all`].map(
    (target): Case => ({ name: `answers 403 route.not.allowed to the case variant ${target.replace(OWN_QUEUE, '{queueId}')}`, request: get(target), status: 403, code: 'route.not.allowed', upstream: 'none' }),
  ),
  {
    name: 'answers 404 to another tenant’s queue id in upper case, as to any queue that is not the tenant’s',
    request: get(`${QUEUES}/${GLOBEX_QUEUE.toUpperCase()}/members`),
    status: 404,
    code: 'not.found',
    upstream: 'listed',
  },
  {
    name: 'answers 404 to another tenant’s queue id in upper case on the forwarded queue route',
    request: get(`${QUEUES}/${GLOBEX_QUEUE.toUpperCase()}`),
    status: 404,
    code: 'not.found',
    upstream: 'listed',
  },

  // Methods outside the table.
  ...(['HEAD', 'OPTIONS', 'TRACE', 'PATCH', 'PROPFIND'] as const).map(
    (method): Case => ({ name: `answers 403 route.not.allowed to ${method} on a listed path`, request: { method, target: QUEUES, headers: [ACME] }, status: 403, code: method === 'HEAD' ? null : 'route.not.allowed', upstream: 'none' }),
  ),
  {
    name: 'answers 403 route.not.allowed to DELETE of a queue’s members',
    request: { method: 'DELETE', target: `${QUEUES}/${OWN_QUEUE}/members`, headers: [ACME] },
    status: 403,
    code: 'route.not.allowed',
    upstream: 'none',
  },
  {
    name: 'answers 403 not.authorized to a write by a read-only tenant',
    request: post(QUEUES, JSON.stringify({ name: 'x', division: { id: D1 } })),
    status: 403,
    code: 'not.authorized',
    upstream: 'none',
  },
  {
    name: 'answers 403 route.not.allowed to CONNECT and closes the connection',
    request: { method: 'CONNECT', target: '127.0.0.1:443', headers: [ACME], close: false },
    status: 403,
    code: 'route.not.allowed',
    upstream: 'none',
    readAll: true,
    check: (_res, _calls, exchange) => {
      expect(exchange.closedByServer).toBe(true);
      expect(exchange.responses).toHaveLength(1);
    },
  },
  {
    name: 'answers 403 route.not.allowed to CONNECT with an origin-form path',
    request: { method: 'CONNECT', target: QUEUES, headers: [ACME] },
    status: 403,
    code: 'route.not.allowed',
    upstream: 'none',
  },
  { name: 'answers 400 from the HTTP parser to an unknown method', request: { method: 'FOO', target: QUEUES, headers: [ACME] }, status: 400, code: null, upstream: 'none' },

  // Method overrides.
  ...['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override', 'x-http-method-override'].map(
    (header): Case => ({ name: `answers 400 bad.request to the method override header ${header}`, request: get(QUEUES, ACME, [header, 'DELETE']), status: 400, code: 'bad.request', upstream: 'none' }),
  ),
  {
    name: 'answers 400 bad.request to a method override on a POST',
    request: post(OBSERVATIONS, ownObservation, ACME, JSON_TYPE, ['X-HTTP-Method-Override', 'GET']),
    status: 400,
    code: 'bad.request',
    upstream: 'none',
  },

  // Credentials.
  { name: 'answers 400 bad.request to X-API-Key sent twice', request: get(QUEUES, ACME, ACME), status: 400, code: 'bad.request', upstream: 'none' },
  { name: 'answers 400 bad.request to X-API-Key sent twice in two spellings', request: get(QUEUES, ACME, ['x-api-key', keys.acme]), status: 400, code: 'bad.request', upstream: 'none' },
  { name: 'answers 400 bad.request to two tenants’ keys in X-API-Key', request: get(QUEUES, ['X-API-Key', keys.globex], ACME), status: 400, code: 'bad.request', upstream: 'none' },
  {
    name: 'answers 400 bad.request to Authorization sent twice (Node itself would keep only the first)',
    request: get(QUEUES, ['Authorization', `Bearer ${keys.acme}`], ['Authorization', `Bearer ${keys.globex}`]),
    status: 400,
    code: 'bad.request',
    upstream: 'none',
  },
  { name: 'answers 400 bad.request to Authorization and X-API-Key together', request: get(QUEUES, ['Authorization', `Bearer ${keys.globex}`], ACME), status: 400, code: 'bad.request', upstream: 'none' },
  ...['apiKey', 'api_key', 'X-API-Key', 'access_token', 'key'].map(
    (name): Case => ({ name: `answers 401 authentication.required to the key in the query string as ${name}`, request: get(`${QUEUES}?${name}=${keys.acme}`, ['Accept', 'application/json']), status: 401, code: 'authentication.required', upstream: 'none' }),
  ),
  {
    name: 'answers 401 authentication.required to the key as Basic credentials',
    request: get(QUEUES, ['Authorization', `Basic ${Buffer.from(`acme-1:${keys.acme}`).toString('base64')}`]),
    status: 401,
    code: 'authentication.required',
    upstream: 'none',
  },
  { name: 'answers 401 to a Bearer value with a second word', request: get(QUEUES, ['Authorization', `Bearer ${keys.acme} ${keys.globex}`]), status: 401, code: 'authentication.required', upstream: 'none' },
  { name: 'answers 401 bad.credentials to two keys joined by a comma', request: get(QUEUES, ['X-API-Key', `${keys.acme},${keys.globex}`]), status: 401, code: 'bad.credentials', upstream: 'none' },
  { name: 'answers 401 authentication.required to an empty X-API-Key', request: get(QUEUES, ['X-API-Key', '']), status: 401, code: 'authentication.required', upstream: 'none' },
  { name: 'answers 401 credentials.expired to an expired key', request: get(QUEUES, ['X-API-Key', keys.expired]), status: 401, code: 'credentials.expired', upstream: 'none' },
  { name: 'answers 403 not.authorized to X-Division-Id naming another tenant’s division', request: get(QUEUES, ACME, ['X-Division-Id', D3]), status: 403, code: 'not.authorized', upstream: 'none' },
  { name: 'answers 403 not.authorized to X-Division-Id naming an own and a foreign division', request: get(QUEUES, ACME, ['X-Division-Id', `${D1},${D3}`]), status: 403, code: 'not.authorized', upstream: 'none' },
  { name: 'answers 403 not.authorized to X-Division-Id sent twice, once foreign', request: get(QUEUES, ACME, ['X-Division-Id', D1], ['X-Division-Id', D0]), status: 403, code: 'not.authorized', upstream: 'none' },
  { name: 'answers 403 not.authorized to X-Division-Id: *', request: get(QUEUES, ACME, ['X-Division-Id', '*']), status: 403, code: 'not.authorized', upstream: 'none' },
  { name: 'answers 400 bad.request to an X-Division-Id that names nothing', request: get(QUEUES, ACME, ['X-Division-Id', ' , ']), status: 400, code: 'bad.request', upstream: 'none' },
  {
    name: 'answers with the one division X-Division-Id narrows to',
    request: get(`${QUEUES}?pageSize=100`, ACME, ['X-Division-Id', D1]),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1),
  },

  // Hop-by-hop tricks: naming a header in Connection does not make the proxy drop it.
  {
    name: 'still authenticates and scopes when Connection names X-API-Key (a harmless variant)',
    request: get(`${QUEUES}?pageSize=100`, ACME, ['Connection', 'X-API-Key']),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1, D2),
  },
  {
    name: 'still authenticates and scopes when Connection names Authorization (a harmless variant)',
    request: get(`${QUEUES}?pageSize=100`, ['Authorization', `Bearer ${keys.acme}`], ['Connection', 'close, Authorization']),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1, D2),
  },
  {
    name: 'still narrows when Connection names X-Division-Id (dropping it would widen the answer)',
    request: get(`${QUEUES}?pageSize=100`, ACME, ['X-Division-Id', D2], ['Connection', 'close, X-Division-Id']),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D2),
  },
  {
    name: 'still echoes the correlation id when Connection names inin-correlation-id',
    request: get(`${QUEUES}?pageSize=1`, ACME, ['inin-correlation-id', 'hop-by-hop-0001'], ['Connection', 'close, inin-correlation-id']),
    status: 200,
    upstream: 'listed',
    check: (res) => expect(res.header('inin-correlation-id')).toBe('hop-by-hop-0001'),
  },
  {
    name: 'ignores an Upgrade to websocket and answers the request itself',
    request: get(`${QUEUES}?pageSize=100`, ACME, ['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='], ['Sec-WebSocket-Version', '13']),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1, D2),
  },
  {
    name: 'ignores an Upgrade to h2c and answers the request itself',
    request: get(`${QUEUES}?pageSize=100`, ACME, ['Connection', 'Upgrade, HTTP2-Settings'], ['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA']),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1, D2),
  },
  {
    name: 'passes none of Keep-Alive, TE, Trailer, Proxy-Authorization or Proxy-Connection to Genesys',
    request: get(`${QUEUES}?pageSize=5`, ACME, ['Keep-Alive', 'timeout=5'], ['TE', 'trailers'], ['Trailer', 'X-Foo'], ['Proxy-Authorization', 'Basic Zm9vOmJhcg=='], ['Proxy-Connection', 'keep-alive'], ['Cookie', 'session=1']),
    status: 200,
    upstream: 'listed',
  },

  // Underscore spellings, which some proxies read as dashes.
  ...['X_API_Key', 'X_Forwarded_For', 'X_Division_Id', 'X_HTTP_Method_Override'].map(
    (header): Case => ({ name: `answers 400 bad.request to the underscore header ${header}`, request: get(QUEUES, ACME, [header, header === 'X_API_Key' ? keys.globex : D3]), status: 400, code: 'bad.request', upstream: 'none' }),
  ),
  { name: 'answers 400 bad.request to X_API_Key as the only credential', request: get(QUEUES, ['X_API_Key', keys.acme]), status: 400, code: 'bad.request', upstream: 'none' },

  // Host and X-Forwarded-*: never read, so never a way to change the route or the links.
  ...(
    [
      ['Host', 'evil.example'],
      ['X-Forwarded-Host', 'evil.example'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Prefix', '/evil.example'],
      ['X-Forwarded-For', '10.0.0.1'],
      ['Forwarded', 'for=10.0.0.1;host=evil.example;proto=https'],
      ['X-Original-URL', '/api/v2/users'],
      ['X-Rewrite-URL', '/api/v2/users'],
    ] as const
  ).map(
    ([header, value]): Case => ({
      name: `answers the requested route, scoped, whatever ${header} says`,
      request: get(`${QUEUES}?pageSize=100`, ACME, [header, value]),
      status: 200,
      upstream: 'listed',
      check: (res, calls) => {
        onlyDivisions(D1, D2)(res);
        expect(res.text()).not.toContain('evil.example');
        expect(calls.filter((call) => call.path.startsWith('/api/')).map((call) => call.path)).toEqual([QUEUES]);
      },
    }),
  ),
  {
    name: 'answers 403 to a path outside the table even when X-Original-URL names a listed one',
    request: get('/api/v2/routing/skills', ACME, ['X-Original-URL', QUEUES]),
    status: 403,
    code: 'route.not.allowed',
    upstream: 'none',
  },
  {
    name: 'answers 400 bad.request to two Host headers',
    request: { target: QUEUES, headers: [['Host', '127.0.0.1'], ['Host', 'evil.example'], ACME] },
    status: 400,
    code: 'bad.request',
    upstream: 'none',
  },
  { name: 'answers 400 from the HTTP parser to an HTTP/1.1 request without Host', request: { target: QUEUES, headers: [ACME], host: null }, status: 400, code: null, upstream: 'none' },
  {
    name: 'answers an HTTP/1.0 request without Host, scoped (a harmless variant)',
    request: { target: `${QUEUES}?pageSize=100`, headers: [ACME], host: null, version: 'HTTP/1.0', close: false },
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1, D2),
  },

  // Request smuggling and framing.
  {
    name: 'answers 400 to Transfer-Encoding and Content-Length together and never runs the request hidden behind them',
    request: raw(`POST ${OBSERVATIONS} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`),
    status: 400,
    code: null,
    upstream: 'none',
    readAll: true,
    timeoutMs: 1500,
    check: (_res, _calls, exchange) => expect(exchange.responses).toHaveLength(1),
  },
  ...[
    ['Transfer-Encoding: chunked, identity', 'Transfer-Encoding: chunked, identity\r\n'],
    ['Transfer-Encoding: xchunked', 'Transfer-Encoding: xchunked\r\n'],
    ['a space before the colon of Transfer-Encoding', 'Transfer-Encoding : chunked\r\n'],
    ['two different Content-Lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n'],
    ['a signed Content-Length', 'Content-Length: +2\r\n'],
  ].map(
    ([what, framing]): Case => ({
      name: `answers 400 from the HTTP parser to ${what}`,
      request: raw(`POST ${OBSERVATIONS} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\nContent-Type: application/json\r\n${framing}\r\n2\r\n{}\r\n0\r\n\r\n`),
      status: 400,
      code: null,
      upstream: 'none',
    }),
  ),
  {
    name: 'answers 400 to a body on a GET and reads the bytes as that body, never as a second request',
    request: raw(`GET ${QUEUES}?pageSize=1 HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`),
    status: 400,
    code: 'bad.request',
    upstream: 'none',
    readAll: true,
    timeoutMs: 1500,
    check: (_res, _calls, exchange) => expect(exchange.responses).toHaveLength(1),
  },
  {
    name: 'answers 400 to a chunked body on a GET',
    request: raw(`GET ${QUEUES} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`),
    status: 400,
    code: 'bad.request',
    upstream: 'none',
  },
  {
    name: 'answers 400 from the HTTP parser to a malformed chunk size',
    request: raw(`POST ${OBSERVATIONS} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`),
    status: 400,
    code: null,
    upstream: 'none',
  },
  ...[
    ['a folded header line', `X-Foo: a\r\n b\r\n`],
    ['a NUL in a header value', `X-Foo: a\0b\r\n`],
    ['a space before a header colon', `X-Foo : b\r\n`],
  ].map(
    ([what, line]): Case => ({
      name: `answers 400 from the HTTP parser to ${what}`,
      request: raw(`GET ${QUEUES} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\n${line}\r\n`),
      status: 400,
      code: null,
      upstream: 'none',
    }),
  ),
  { name: 'answers 400 from the HTTP parser to bare LF line endings', request: raw(`GET ${QUEUES} HTTP/1.1\nHost: x\nX-API-Key: ${keys.acme}\n\n`), status: 400, code: null, upstream: 'none' },
  { name: 'answers 400 from the HTTP parser to an HTTP/2 preface', request: raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), status: 400, code: null, upstream: 'none' },
  {
    name: 'answers 417 to an Expect it does not know',
    request: post(OBSERVATIONS, ownObservation, ACME, JSON_TYPE, ['Expect', 'teapot']),
    status: 417,
    code: null,
    upstream: 'none',
  },

  // Sizes.
  { name: 'answers 431 to a 20 KiB header', request: get(QUEUES, ACME, ['X-Big', 'a'.repeat(20_000)]), status: 431, code: null, upstream: 'none' },
  {
    name: 'answers 431 to 300 small headers',
    request: get(QUEUES, ACME, ...Array.from({ length: 300 }, (_, i) => [`X-H${i}`, 'a'.repeat(60)] as const)),
    status: 431,
    code: null,
    upstream: 'none',
  },
  { name: 'answers 431 to a 20 KiB request target', request: get(`${QUEUES}?name=${'a'.repeat(20_000)}`), status: 431, code: null, upstream: 'none' },
  {
    name: 'answers 413 to a declared body over the limit before reading it',
    request: { method: 'POST', target: OBSERVATIONS, headers: [ACME, JSON_TYPE, ['Content-Length', '600000']] },
    status: 413,
    code: 'payload.too.large',
    upstream: 'none',
  },
  {
    name: 'answers 413 to a chunked body that grows over the limit',
    request: {
      method: 'POST',
      target: OBSERVATIONS,
      headers: [ACME, JSON_TYPE, ['Transfer-Encoding', 'chunked']],
      body: `${Array.from({ length: 10 }, () => `f000\r\n${' '.repeat(0xf000)}\r\n`).join('')}0\r\n\r\n`,
    },
    status: 413,
    code: 'payload.too.large',
    upstream: 'none',
  },

  // JSON bodies.
  { name: 'answers 400 body.invalid to JSON nested 100 000 deep', request: post(OBSERVATIONS, `${'['.repeat(100_000)}${']'.repeat(100_000)}`), status: 400, code: 'body.invalid', upstream: 'none' },
  {
    name: 'answers 400 body.invalid to objects nested past 32 levels',
    request: post(OBSERVATIONS, `{"filter":${'{"a":'.repeat(40)}1${'}'.repeat(40)},"metrics":["oWaiting"]}`),
    status: 400,
    code: 'body.invalid',
    upstream: 'none',
  },
  {
    name: 'answers 400 body.invalid to a filter of 5000 predicates',
    request: post(OBSERVATIONS, observation({ type: 'or', predicates: Array.from({ length: 5000 }, () => ({ dimension: 'mediaType', value: 'voice' })) })),
    status: 400,
    code: 'body.invalid',
    upstream: 'none',
  },
  {
    name: 'answers 400 body.invalid to a 400 KB string value',
    request: post(OBSERVATIONS, observation({ type: 'or', predicates: [{ dimension: 'mediaType', value: 'v'.repeat(400_000) }] })),
    status: 400,
    code: 'body.invalid',
    upstream: 'none',
  },
  {
    name: 'reads a duplicated JSON key as JSON.parse does (the last wins) and sends Genesys only what it checked',
    request: post(OBSERVATIONS, `{"filter":${JSON.stringify({ type: 'or', predicates: [{ dimension: 'queueId', value: GLOBEX_QUEUE }] })},"filter":${JSON.stringify({ type: 'or', predicates: [{ dimension: 'queueId', value: OWN_QUEUE }] })},"metrics":["oWaiting"]}`),
    status: 200,
    upstream: 'listed',
    check: (res, calls) => {
      upstreamNeverNames(GLOBEX_QUEUE)(res, calls);
      const bodies = calls.filter((call) => call.path === OBSERVATIONS).map((call) => call.body);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]!.match(/"filter"/g)).toHaveLength(1);
    },
  },
  {
    name: 'answers 403 when the last of a duplicated JSON key names another tenant’s queue',
    request: post(OBSERVATIONS, `{"filter":${JSON.stringify({ type: 'or', predicates: [{ dimension: 'queueId', value: OWN_QUEUE }] })},"filter":${JSON.stringify({ type: 'or', predicates: [{ dimension: 'queueId', value: GLOBEX_QUEUE }] })},"metrics":["oWaiting"]}`),
    status: 403,
    code: 'not.authorized',
    upstream: 'none',
  },
  {
    name: 'answers 403 not.authorized to a filter naming another tenant’s queue, before calling Genesys',
    request: post(OBSERVATIONS, foreignObservation),
    status: 403,
    code: 'not.authorized',
    upstream: 'none',
  },
  ...[
    ['a top-level __proto__ key', `{"__proto__":{"polluted":1},"filter":{"type":"or","predicates":[{"dimension":"mediaType","value":"voice"}]},"metrics":["oWaiting"]}`],
    ['a nested __proto__ key', `{"filter":{"type":"or","predicates":[{"dimension":"mediaType","value":"voice","__proto__":{"polluted":1}}]},"metrics":["oWaiting"]}`],
    ['an escaped __proto__ key', `{"\\u005f_proto__":{"polluted":1},"filter":{"type":"or","predicates":[{"dimension":"mediaType","value":"voice"}]},"metrics":["oWaiting"]}`],
    ['a constructor key', `{"constructor":{"prototype":{"polluted":1}},"filter":{"type":"or","predicates":[{"dimension":"mediaType","value":"voice"}]},"metrics":["oWaiting"]}`],
    ['a prototype key', `{"filter":{"type":"or","prototype":{"polluted":1},"predicates":[{"dimension":"mediaType","value":"voice"}]},"metrics":["oWaiting"]}`],
  ].map(
    ([what, body]): Case => ({
      name: `answers 400 body.invalid to ${what} and pollutes nothing`,
      request: post(OBSERVATIONS, body!),
      status: 400,
      code: 'body.invalid',
      upstream: 'none',
      check: () => expect(({} as Record<string, unknown>)['polluted']).toBeUndefined(),
    }),
  ),
  ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/jsonp', 'application/json, text/plain', 'application/xml'].map(
    (type): Case => ({ name: `answers 415 to a body sent as ${type}`, request: post(OBSERVATIONS, ownObservation, ACME, ['Content-Type', type]), status: 415, code: 'unsupported.media.type', upstream: 'none' }),
  ),
  { name: 'answers 415 to a body without Content-Type', request: post(OBSERVATIONS, ownObservation, ACME), status: 415, code: 'unsupported.media.type', upstream: 'none' },
  ...(
    [
      ['a gzip-encoded body', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0xae, 0x05, 0x00, 0x43, 0xbf, 0xa6, 0xa3, 0x02, 0x00, 0x00, 0x00])],
      ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
      ['an empty body', Buffer.alloc(0)],
      ['JSON null', Buffer.from('null')],
      ['a JSON array', Buffer.from('[]')],
      ['trailing garbage', Buffer.from(`${ownObservation} x`)],
    ] as const
  ).map(
    ([what, body]): Case => ({
      name: `answers 400 body.invalid to ${what}`,
      request: post(OBSERVATIONS, body, ACME, JSON_TYPE, ...(what === 'a gzip-encoded body' ? [['Content-Encoding', 'gzip'] as const] : [])),
      status: 400,
      code: 'body.invalid',
      upstream: 'none',
    }),
  ),
  {
    name: 'reads a body behind a UTF-8 byte-order mark as the JSON after it and sends Genesys its own serialisation (a harmless variant)',
    request: post(OBSERVATIONS, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ownObservation)])),
    status: 200,
    upstream: 'listed',
    check: (_res, calls) => {
      const sent = calls.filter((call) => call.path === OBSERVATIONS);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body.charCodeAt(0)).toBe('{'.charCodeAt(0));
    },
  },

  // Parameter pollution.
  {
    name: 'keeps only the tenant’s divisionId when it is repeated with another tenant’s',
    request: get(`${QUEUES}?pageSize=100&divisionId=${D1}&divisionId=${D3}`),
    status: 200,
    upstream: 'listed',
    check: (res, calls) => {
      onlyDivisions(D1)(res);
      upstreamNeverNames(D3)(res, calls);
    },
  },
  {
    name: 'keeps only the tenant’s divisionId when it is comma-joined with another tenant’s',
    request: get(`${QUEUES}?pageSize=100&divisionId=${D3},${D2},${D0}`),
    status: 200,
    upstream: 'listed',
    check: (res, calls) => {
      onlyDivisions(D2)(res);
      upstreamNeverNames(D3, D0)(res, calls);
    },
  },
  {
    name: 'reads a percent-encoded divisionId as the division it spells',
    request: get(`${QUEUES}?pageSize=100&divisionId=${encodeURIComponent(D1).replace(/d/, '%64')}`),
    status: 200,
    upstream: 'listed',
    check: onlyDivisions(D1),
  },
  ...[
    ['an empty divisionId', `${QUEUES}?divisionId=`],
    ['divisionId=* (meaningless on this route)', `${QUEUES}?divisionId=*`],
    ['only another tenant’s divisionId', `${QUEUES}?divisionId=${D3}`],
    ['another tenant’s divisionId in upper case', `${QUEUES}?divisionId=${D3.toUpperCase()}`],
    ['a divisionId hiding a second one after a semicolon', `${QUEUES}?divisionId=${D3};divisionId=${D1}`],
    ['a divisionview of another tenant', `${QUEUES}/divisionviews?divisionId=${D3}`],
    ['another tenant’s division by id', `/api/v2/authorization/divisions?id=${D3}&id=${D0}`],
  ].map(([what, target]): Case => ({ name: `answers an empty listing without calling Genesys to ${what}`, request: get(target!), status: 200, upstream: 'listed', check: emptyListing })),
  {
    name: 'answers divisionviews?divisionId=*,<foreign> with the tenant’s own divisions only',
    request: get(`${QUEUES}/divisionviews?pageSize=100&divisionId=*,${D3}`),
    status: 200,
    upstream: 'listed',
    check: (res, calls) => {
      onlyDivisions(D1, D2)(res);
      upstreamNeverNames(D3, '*')(res, calls);
    },
  },
  {
    name: 'answers another tenant’s queue ids in id= with none of them',
    request: get(`${QUEUES}?id=${GLOBEX_QUEUE}&id=${queueId(0, 1)}`),
    status: 200,
    upstream: 'listed',
    check: (res) => expect((res.json() as { entities: unknown[] }).entities).toEqual([]),
  },
  {
    name: 'answers another tenant’s user ids in id= with an empty page',
    request: get(`/api/v2/users?id=${userId(3, 1)},${userId(4, 2)}`),
    status: 200,
    upstream: 'listed',
    check: (res) => expect((res.json() as { entities: unknown[] }).entities).toEqual([]),
  },
  ...[
    ['divisionId[] (array brackets)', `${QUEUES}?divisionId[]=${D3}`],
    ['DivisionId (another case)', `${QUEUES}?DivisionId=${D3}`],
    ['a repeated single-valued parameter', `${QUEUES}?pageSize=1&pageSize=500`],
    ['a control character in a value', `${QUEUES}?divisionId=${D1}%00`],
    ['a parameter the route does not list', `${QUEUES}?divisionIds=${D3}`],
  ].map(([what, target]): Case => ({ name: `answers 400 query.invalid to ${what}`, request: get(target!), status: 400, code: 'query.invalid', upstream: 'none' })),

  // Ids of other tenants in paths, in other tenants' shapes.
  ...[
    `/api/v2/users/${userId(3, 2)}`,
    `/api/v2/authorization/divisions/${D0}`,
    `/api/v2/analytics/conversations/${conversationId(4, 1)}/details`,
    `${QUEUES}/${queueId(4, 2)}/wrapupcodes`,
  ].map((target): Case => ({ name: `answers 404 to ${target.replace(/[0-9a-f-]{36}/, '{another tenant’s id}')}`, request: get(target), status: 404, code: 'not.found', upstream: 'listed' })),
];

describe('the bypass corpus, over raw sockets', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { UPSTREAM_REQUESTS_PER_MINUTE: '1000000', DEFAULT_TENANT_REQUESTS_PER_MINUTE: '1000000' } });
  });
  afterAll(() => h.close());

  it('has a case for every hostile shape, each with a name of its own', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const calls = logCursor(h.sim.requestLog);
    const tenant = c.tenant ?? 'acme';
    const bytes = 'raw' in c.request ? c.request.raw : requestBytes(c.request);
    const head = 'raw' in c.request ? c.request.head === true : (c.request.method ?? 'GET') === 'HEAD';
    const exchange = await rawExchange(h.url, bytes, { head, firstResponseOnly: !c.readAll, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}) });
    const res = exchange.response;
    const requestLine = Buffer.from(bytes).toString('latin1').split(/\r?\n/, 1)[0]!.slice(0, 200);

    expect([c.status].flat()).toContain(res.status);
    if (c.code) {
      expect(res.json()).toEqual({ message: expect.any(String), code: c.code, status: res.status, contextId: res.header('inin-correlation-id') });
    }
    const seen = `${exchange.raw.toString('latin1')}\n${exchange.responses.map((r) => r.text()).join('\n')}`;
    const target = requestLine.split(' ')[1] ?? '/';
    const echoes = res.status >= 400 ? Buffer.from(bytes).toString('latin1') : undefined;
    expectNoLeak(tenant, seen, `${c.name} (${requestLine})`, h.sim.org, { request: target, ...(c.mayNameHome ? { mayNameHome: true } : {}), ...(echoes ? { echoes } : {}) });
    for (const secret of [...genesysTokensSeen(h.sim.requestLog), h.settings.genesys.clientSecret, ...Object.values(keys)]) expect(seen).not.toContain(secret);

    const made = calls();
    expect(upstreamProblems(made, Object.values(keys))).toEqual([]);
    if (c.upstream === 'none') expect(made.map((call) => `${call.method} ${call.path}`)).toEqual([]);
    c.check?.(res, made, exchange);

    const healthy = await rawSocketRequest(h.url, get(`${QUEUES}?pageSize=1`));
    expect(healthy.status).toBe(200);
  });

  it('treats a client that leaves in the middle of its body as aborted, not as a proxy failure', async () => {
    const partial = `POST ${OBSERVATIONS} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${keys.acme}\r\nContent-Type: application/json\r\ninin-correlation-id: left-mid-body-01\r\nContent-Length: 1000\r\n\r\n{"filter":`;
    await rawExchange(h.url, partial, { timeoutMs: 200 });
    await eventually(() => {
      const line = h.logLines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry['log'] === 'audit' && entry['correlationId'] === 'left-mid-body-01');
      expect(line).toMatchObject({ status: 499, aborted: true, upstreamCalls: 0 });
    });
    expect(h.logLines.filter((line) => line.includes('left-mid-body-01') && (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
    expect((await rawSocketRequest(h.url, get(`${QUEUES}?pageSize=1`))).status).toBe(200);
  });

  it('logged no proxy error while the corpus ran (no 5xx, no unhandled failure)', () => {
    const errors = h.logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});
