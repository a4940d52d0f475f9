import { pipeline, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { systemClock, type Clock } from '../clock.js';
import { GatewayError } from '../errors.js';
import type { TokenManager } from './token-manager.js';
import type { GenesysBudget } from '../state/rate-limits/genesys-budget.js';
import type { ReadSharing } from './read-sharing.js';
import { describeNetworkError, retryAfterSeconds } from './upstream-errors.js';

/** A 429 is retried only if Genesys asks for at most this wait; longer waits go back to the tenant. */
const MAX_RETRY_WAIT_MS = 2_000;
/** The retry budget: at most this many requests wait to retry at once, so a 429 storm is not doubled. */
const MAX_CONCURRENT_RETRIES = 8;

export interface UpstreamRequest {
  readonly method: string;
  /** Canonical path plus the query the proxy built; never the tenant's raw URL. */
  readonly pathAndQuery: string;
  readonly body?: string;
  readonly correlationId: string;
  /**
   * A read (GET, or an analytics query, which only reads): it may be shared with identical reads
   * in flight, answered from the read cache, and retried once after a short Genesys 429. Writes
   * are never shared, cached or retried.
   */
  readonly read?: boolean;
  /**
   * The tenant the call is made for: it is charged to that tenant's share of the Genesys budget,
   * and shared (in flight or from the read cache) only with the same tenant's identical reads, so
   * that no tenant can tell from an answer's speed what another read. Absent: the proxy's own work
   * (directory loads and lookups), spent from the budget without being refused.
   */
  readonly tenantId?: string;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Decoded (no content-encoding) and within the size cap. */
  readonly body: Buffer;
  /** How many HTTP calls it took (2 when a rejected token was replaced). */
  readonly calls: number;
  /** The same body (the same Buffer) answers several waiters: it may be parsed once for all. */
  readonly shared?: boolean;
}

/**
 * A 2xx answer too large to hold (past the stream threshold): what was read so far, and the rest
 * as it arrives. Never shared with another request and never cached.
 */
export interface StreamedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly calls: number;
  /** Decoded bytes read before the answer passed the threshold (none when its length said so up front). */
  readonly head: Buffer;
  /**
   * The rest, decoded, chunk by chunk. Fails with a GatewayError when Genesys goes silent for the
   * upstream timeout, the connection breaks or the encoding is corrupt; no cap on the total.
   */
  readonly rest: AsyncIterable<Buffer>;
  /** Stops reading and closes the connection to Genesys; safe at any time, and more than once. */
  cancel(): void;
}

export type UpstreamAnswer = UpstreamResponse | StreamedResponse;

export function isStreamed(answer: UpstreamAnswer): answer is StreamedResponse {
  return 'rest' in answer;
}

/**
 * The one pool of connections to Genesys, API and login alike: this module is the only one that
 * opens sockets to Genesys (the lint rules keep undici here).
 */
export interface GenesysPool {
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

export function openGenesysPool(options: { readonly maxSockets: number; readonly connectTimeoutMs: number }): GenesysPool {
  const dispatcher = new Agent({ connections: options.maxSockets, keepAliveTimeout: 30_000, connect: { timeout: options.connectTimeoutMs } });
  return { dispatcher, close: () => dispatcher.close() };
}

export interface LoginExchange {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly form: string;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

/**
 * POSTs the client-credentials form on the pool. Network failures reject with the transport's
 * error; the body is read up to `maxBodyBytes` (then rejects).
 */
export async function postLoginForm(pool: GenesysPool | undefined, exchange: LoginExchange): Promise<{ status: number; text: string }> {
  const response = await request(exchange.url, {
    method: 'POST',
    ...(pool ? { dispatcher: pool.dispatcher } : {}),
    headers: { ...exchange.headers },
    body: exchange.form,
    signal: AbortSignal.timeout(exchange.timeoutMs),
  });
  const text = await readCapped(response.body, exchange.maxBodyBytes).then(
    (body) => body.toString('utf8'),
    () => '',
  );
  return { status: response.statusCode, text };
}

export interface GenesysClientOptions {
  readonly apiUrl: string;
  readonly tokens: TokenManager;
  readonly dispatcher: Dispatcher;
  readonly clock?: Clock;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly userAgent: string;
  /** Coalescing (and optionally caching) of identical reads; absent: every read goes upstream. */
  readonly readSharing?: ReadSharing;
  /** Charged before every HTTP call to Genesys, and told Genesys's limit headers after it. */
  readonly budget?: GenesysBudget;
  /** A tenant's own OAuth client: its calls spend that client's budget, not the proxy's. */
  readonly budgetKey?: string;
  /**
   * STREAM_THRESHOLD_BYTES: a streamable read larger than this is handed over as it arrives.
   * Absent: never. Above `maxBodyBytes` it acts as `maxBodyBytes`: no answer is held larger.
   */
  readonly streamThresholdBytes?: number;
}

// Maps, not object literals: a content encoding named `constructor` or `toString` finds nothing.
const decoders = new Map<string, (input: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>>([
  ['gzip', promisify(zlib.gunzip)],
  ['x-gzip', promisify(zlib.gunzip)],
  ['deflate', promisify(zlib.inflate)],
  ['br', promisify(zlib.brotliDecompress)],
]);

const streamDecoders = new Map<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress>([
  ['gzip', () => zlib.createGunzip()],
  ['x-gzip', () => zlib.createGunzip()],
  ['deflate', () => zlib.createInflate()],
  ['br', () => zlib.createBrotliDecompress()],
]);

/** What callers need of the client: one request, one answer. Tests pass a fake. */
export interface GenesysSender {
  send(upstream: UpstreamRequest): Promise<UpstreamResponse>;
  /**
   * As `send`, for a caller that can take a 2xx answer as it arrives: one past the stream threshold
   * comes back streamed. A sender without it answers everything whole.
   */
  sendStreamable?(upstream: UpstreamRequest): Promise<UpstreamAnswer>;
}

/**
 * Calls the Genesys API for routes whose answers the proxy scopes: the whole answer is read (up to
 * a cap) and decoded so that the scoping functions see plain JSON bytes. A caller that can scope
 * an answer as it arrives (`sendStreamable`) gets one past the stream threshold as a stream.
 */
export class GenesysClient implements GenesysSender {
  readonly #options: GenesysClientOptions;

  constructor(options: GenesysClientOptions) {
    this.#options = options;
  }

  #retriesWaiting = 0;

  send(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    const sharing = this.#options.readSharing;
    const fetch = () => this.#fetch(upstream, false).then(wholeAnswer);
    if (!upstream.read || !sharing) return fetch();
    return sharing.share(upstream, fetch);
  }

  sendStreamable(upstream: UpstreamRequest): Promise<UpstreamAnswer> {
    const sharing = this.#options.readSharing;
    const fetch = () => this.#fetch(upstream, true);
    if (!upstream.read || !sharing) return fetch();
    return sharing.share(upstream, fetch);
  }

  /** One HTTP call, charged to the budget first: a call refused there is never made. */
  async #charged(upstream: UpstreamRequest, token: string, streamable: boolean): Promise<UpstreamAnswer> {
    const budget = this.#options.budget;
    const budgetKey = this.#options.budgetKey;
    if (budget) {
      await budget.charge(
        upstream.tenantId === undefined
          ? { kind: 'proxy', reason: 'directory' }
          : { kind: 'tenant', tenantId: upstream.tenantId, ...(budgetKey !== undefined ? { budget: budgetKey } : {}) },
      );
    }
    const response = await this.#once(upstream, token, streamable);
    // Genesys's limit headers describe the client that made the call: only the proxy's own adjust its budget.
    if (budgetKey === undefined) budget?.observe(response.headers, response.status);
    return response;
  }

  /** The 401 and 429 answers that lead to another call are never streamed (only 2xx answers are). */
  async #fetch(upstream: UpstreamRequest, streamable: boolean): Promise<UpstreamAnswer> {
    const { tokens } = this.#options;
    let token = await tokens.getToken();
    let response = await this.#charged(upstream, token, streamable);
    let calls = 1;
    if (response.status === 401) {
      // A revoked or expired token: replace it once. A second 401 is the proxy's own misconfiguration.
      await tokens.invalidate(token);
      token = await tokens.getToken();
      response = await this.#charged(upstream, token, streamable);
      calls += 1;
    }
    if (response.status === 429 && upstream.read) {
      const waitMs = (retryAfterSeconds(response.headers['retry-after']) ?? Number.POSITIVE_INFINITY) * 1000;
      if (waitMs <= MAX_RETRY_WAIT_MS && this.#retriesWaiting < MAX_CONCURRENT_RETRIES) {
        this.#retriesWaiting += 1;
        try {
          await (this.#options.clock ?? systemClock).sleep(Math.max(waitMs, 50));
        } finally {
          this.#retriesWaiting -= 1;
        }
        response = await this.#charged(upstream, token, streamable);
        calls += 1;
      }
    }
    return { ...response, calls };
  }

  async #once(upstream: UpstreamRequest, token: string, streamable: boolean): Promise<UpstreamAnswer> {
    const { apiUrl, dispatcher, timeoutMs, userAgent } = this.#options;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'accept-encoding': 'identity',
      'inin-correlation-id': upstream.correlationId,
      'user-agent': userAgent,
    };
    if (upstream.body !== undefined) headers['content-type'] = 'application/json';
    const deadline = new Deadline(timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(apiUrl + upstream.pathAndQuery, {
        method: upstream.method as Dispatcher.HttpMethod,
        headers,
        body: upstream.body,
        dispatcher,
        signal: deadline.signal,
      });
    } catch (error) {
      deadline.clear();
      throw networkFailure(error, deadline.expired);
    }
    const threshold = Math.min(this.#options.streamThresholdBytes ?? Number.POSITIVE_INFINITY, this.#options.maxBodyBytes);
    if (streamable && response.statusCode >= 200 && response.statusCode < 300 && Number.isFinite(threshold)) {
      return this.#readStreamable(response, deadline, threshold);
    }
    let raw: Buffer;
    try {
      raw = await this.#readBody(response.body);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw networkFailure(error, deadline.expired);
    } finally {
      deadline.clear();
    }
    return { status: response.statusCode, headers: response.headers, body: await this.#decode(raw, response.headers), calls: 1 };
  }

  /**
   * Reads up to the threshold under the whole-answer deadline: an answer that ends there is an
   * ordinary one. Past it (or when its length says so up front) the rest is handed over as it
   * arrives, with an idle timeout between chunks instead of the deadline.
   */
  async #readStreamable(response: Dispatcher.ResponseData, deadline: Deadline, threshold: number): Promise<UpstreamAnswer> {
    const { body, headers, statusCode } = response;
    const encoding = encodingOf(headers);
    const decoder = encoding === undefined ? undefined : streamDecoders.get(encoding);
    if (encoding !== undefined && decoder === undefined) {
      deadline.clear();
      body.destroy();
      throw unsupportedEncoding();
    }
    let bodyFailed = false;
    body.once('error', () => {
      bodyFailed = true;
    });
    const source: Readable = decoder ? pipeline(body, decoder(), () => undefined) : body;
    const failure = (error: unknown): GatewayError => {
      if (error instanceof GatewayError) return error;
      if (deadline.expired || bodyFailed || !decoder) return networkFailure(error, deadline.expired);
      return undecodable(error);
    };
    const cancel = () => {
      deadline.cancel();
      source.destroy();
      body.destroy();
    };
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let size = 0;
    const declared = Number(headers['content-length']);
    if (!(Number.isFinite(declared) && declared > threshold)) {
      while (size <= threshold) {
        let step: IteratorResult<Buffer>;
        try {
          step = await chunks.next();
        } catch (error) {
          deadline.clear();
          cancel();
          throw failure(error);
        }
        if (step.done) {
          deadline.clear();
          return { status: statusCode, headers, body: head.length === 1 ? head[0]! : Buffer.concat(head, size), calls: 1 };
        }
        head.push(step.value);
        size += step.value.length;
      }
    }
    deadline.clear();
    return {
      status: statusCode,
      headers,
      calls: 1,
      head: Buffer.concat(head, size),
      rest: idleTimed(chunks, this.#options.timeoutMs, deadline, failure, cancel),
      cancel,
    };
  }

  #readBody(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
    return readCapped(body, this.#options.maxBodyBytes);
  }

  async #decode(raw: Buffer, headers: Record<string, string | string[] | undefined>): Promise<Buffer> {
    const encoding = encodingOf(headers);
    if (encoding === undefined) return raw;
    const decode = decoders.get(encoding);
    if (!decode) throw unsupportedEncoding();
    try {
      return await decode(raw, { maxOutputLength: this.#options.maxBodyBytes });
    } catch (error) {
      throw undecodable(error);
    }
  }
}

/** The answer's content encoding, lowercased; undefined for none (identity). */
function encodingOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const encoding = String(headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  return encoding === 'identity' || encoding === '' ? undefined : encoding;
}

function unsupportedEncoding(): GatewayError {
  return new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned an unsupported content encoding.' });
}

function undecodable(cause: unknown): GatewayError {
  return new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a compressed response the proxy could not decode.', cause });
}

/** `send` never asks for a streamed answer, so it never gets one. */
function wholeAnswer(answer: UpstreamAnswer): UpstreamResponse {
  if (isStreamed(answer)) {
    answer.cancel();
    throw new Error('a call that did not ask for a streamed answer got one');
  }
  return answer;
}

/** The timeout of one call: a deadline for the whole answer, then (when streamed) one per chunk. */
class Deadline {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(ms: number) {
    this.arm(ms);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  arm(ms: number): void {
    this.clear();
    this.#timer = setTimeout(() => {
      this.expired = true;
      this.#controller.abort(new DOMException('The upstream call timed out.', 'TimeoutError'));
    }, ms);
    this.#timer.unref();
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  cancel(): void {
    this.clear();
    this.#controller.abort();
  }
}

/** The rest of a streamed answer: Genesys may be silent for at most `idleMs` between chunks. */
async function* idleTimed(
  chunks: AsyncIterator<Buffer>,
  idleMs: number,
  deadline: Deadline,
  failure: (error: unknown) => GatewayError,
  cancel: () => void,
): AsyncGenerator<Buffer> {
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<Buffer>;
      deadline.arm(idleMs);
      try {
        step = await chunks.next();
      } catch (error) {
        throw failure(error);
      } finally {
        deadline.clear();
      }
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    // Stopped early (the tenant went away, or scoping failed): the connection is closed, not drained.
    if (!finished) cancel();
  }
}

function networkFailure(error: unknown, timedOut: boolean): GatewayError {
  if (timedOut) return new GatewayError('upstream.timeout', { cause: error });
  return new GatewayError('upstream.unreachable', {
    message: `Genesys Cloud could not be reached (${describeNetworkError(error)}).`,
    cause: error,
  });
}

/** The one size cap on what the proxy reads from Genesys. */
async function readCapped(body: Dispatcher.ResponseData['body'], cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > cap) {
      body.destroy();
      throw new GatewayError('upstream.bad.response', {
        message: 'Genesys Cloud returned a response larger than the proxy accepts.',
      });
    }
    chunks.push(chunk as Buffer);
  }
  // One concat at the end: concatenating per chunk is quadratic on large bodies.
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
