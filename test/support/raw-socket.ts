import net from 'node:net';
import zlib from 'node:zlib';

/**
 * An HTTP/1.1 exchange over a bare `node:net` socket: the request goes out byte for byte (no client
 * tidies the path, merges headers or fixes framing) and the response is parsed from the raw bytes.
 */

export interface RawSocketResponse {
  /** 0 when the server closed the connection without answering. */
  readonly status: number;
  readonly statusLine: string;
  /** Header names lowercased, every value in arrival order (duplicates kept). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** The head as received: status line and header lines. */
  readonly head: string;
  /** The body after transfer decoding (chunked) and content decoding (gzip, deflate, br). */
  readonly body: Buffer;
  /** False when the connection ended before the framing said the body was complete. */
  readonly complete: boolean;
  header(name: string): string | undefined;
  text(): string;
  json(): unknown;
}

export interface RawExchange {
  /** Every byte the server sent. */
  readonly raw: Buffer;
  /** Every complete or partial response in `raw`, in order (a server may answer several). */
  readonly responses: readonly RawSocketResponse[];
  /** The first response, or a status-0 placeholder when there was none. */
  readonly response: RawSocketResponse;
  /** True when the server closed the connection (rather than the timeout ending the read). */
  readonly closedByServer: boolean;
}

export interface RawRequestSpec {
  readonly method?: string;
  /** The request target, exactly as it goes on the request line. */
  readonly target: string;
  /** Sent in this order, names exactly as given; `Host` is added first unless one is given or `host` is null. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string | Buffer;
  /** Default 'HTTP/1.1'. */
  readonly version?: string;
  /** Default `127.0.0.1`; null sends no Host header at all. */
  readonly host?: string | null;
  /** Adds `Connection: close` unless the headers already name Connection. Default true. */
  readonly close?: boolean;
}

/** The bytes of a request as specified, with CRLF line endings and nothing added but Host and Connection. */
export function requestBytes(spec: RawRequestSpec): Buffer {
  const headers = [...(spec.headers ?? [])];
  const named = (name: string) => headers.some(([header]) => header.toLowerCase() === name);
  if (spec.host !== null && !named('host')) headers.unshift(['Host', spec.host ?? '127.0.0.1']);
  if ((spec.close ?? true) && !named('connection')) headers.push(['Connection', 'close']);
  const head = `${spec.method ?? 'GET'} ${spec.target} ${spec.version ?? 'HTTP/1.1'}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export interface ExchangeOptions {
  /** Give up reading after this long (the socket is then destroyed). Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Stop at the first complete response instead of waiting for the server to close. Default true. */
  readonly firstResponseOnly?: boolean;
  /** The request was HEAD: the response has no body whatever its headers say. */
  readonly head?: boolean;
}

/** Writes `bytes` to the server at `baseUrl` and reads what comes back. */
export function rawExchange(baseUrl: string, bytes: Buffer | string, options: ExchangeOptions = {}): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  const firstOnly = options.firstResponseOnly ?? true;
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const responses = parseResponses(raw, options.head === true);
      resolve({ raw, responses, response: responses[0] ?? emptyResponse(), closedByServer });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (firstOnly) {
        const parsed = parseResponses(Buffer.concat(chunks), options.head === true);
        if (parsed[0]?.complete) finish(false);
      }
    });
    // A server that refuses early may reset while the rest of the request is still being written.
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, () => undefined);
  });
}

/** Sends one request built from `spec` and returns the first response. */
export async function rawSocketRequest(baseUrl: string, spec: RawRequestSpec, options: ExchangeOptions = {}): Promise<RawSocketResponse> {
  const exchange = await rawExchange(baseUrl, requestBytes(spec), { head: (spec.method ?? 'GET') === 'HEAD', ...options });
  return exchange.response;
}

function emptyResponse(): RawSocketResponse {
  return makeResponse(0, '', new Map(), '', Buffer.alloc(0), false);
}

function parseResponses(raw: Buffer, firstIsHead: boolean): RawSocketResponse[] {
  const responses: RawSocketResponse[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const end = raw.indexOf('\r\n\r\n', offset, 'latin1');
    if (end === -1) break;
    const head = raw.subarray(offset, end).toString('latin1');
    const [statusLine = '', ...lines] = head.split('\r\n');
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? 0);
    const headers = new Map<string, string[]>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    }
    let cursor = end + 4;
    let body: Buffer = Buffer.alloc(0);
    let complete = true;
    const noBody = (firstIsHead && responses.length === 0) || status === 204 || status === 304 || (status >= 100 && status < 200);
    const length = headers.get('content-length')?.[0];
    if (noBody) {
      // nothing follows the head
    } else if (headers.get('transfer-encoding')?.some((value) => /chunked/i.test(value))) {
      const decoded = dechunk(raw, cursor);
      body = decoded.body;
      complete = decoded.complete;
      cursor = decoded.next;
    } else if (length !== undefined) {
      const want = Number(length);
      body = raw.subarray(cursor, Math.min(raw.length, cursor + want));
      complete = body.length === want;
      cursor += body.length;
    } else {
      // Delimited by the end of the connection.
      body = raw.subarray(cursor);
      cursor = raw.length;
    }
    responses.push(makeResponse(status, statusLine, headers, head, decodeContent(body, headers.get('content-encoding')?.[0]), complete));
    offset = cursor;
    if (!complete) break;
  }
  return responses;
}

function dechunk(raw: Buffer, start: number): { body: Buffer; complete: boolean; next: number } {
  const parts: Buffer[] = [];
  let cursor = start;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', cursor, 'latin1');
    if (lineEnd === -1) return { body: Buffer.concat(parts), complete: false, next: raw.length };
    const size = parseInt(raw.subarray(cursor, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false, next: raw.length };
    cursor = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = raw.indexOf('\r\n', cursor, 'latin1');
      return { body: Buffer.concat(parts), complete: trailerEnd !== -1, next: trailerEnd === -1 ? raw.length : trailerEnd + 2 };
    }
    if (cursor + size > raw.length) {
      parts.push(raw.subarray(cursor));
      return { body: Buffer.concat(parts), complete: false, next: raw.length };
    }
    parts.push(raw.subarray(cursor, cursor + size));
    cursor += size + 2;
  }
}

/** What the tenant would read: compressed bodies are inflated so a leak check sees the text. */
function decodeContent(body: Buffer, encoding: string | undefined): Buffer {
  const name = (encoding ?? '').trim().toLowerCase();
  try {
    if (name === 'gzip' || name === 'x-gzip') return zlib.gunzipSync(body);
    if (name === 'deflate') return zlib.inflateSync(body);
    if (name === 'br') return zlib.brotliDecompressSync(body);
  } catch {
    // A truncated compressed body: keep the raw bytes, which are all there is to read.
  }
  return body;
}

function makeResponse(status: number, statusLine: string, headers: ReadonlyMap<string, readonly string[]>, head: string, body: Buffer, complete: boolean): RawSocketResponse {
  return {
    status,
    statusLine,
    headers,
    head,
    body,
    complete,
    header: (name) => headers.get(name.toLowerCase())?.[0],
    text: () => body.toString('utf8'),
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}
