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
}

const decoders: Record<string, (input: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/** What callers need of the client: one request, one answer. Tests pass a fake. */
export interface GenesysSender {
  send(upstream: UpstreamRequest): Promise<UpstreamResponse>;
}

/**
 * Calls the Genesys API for routes whose answers the proxy scopes: the whole answer is read (up to
 * a cap) and decoded so that the scoping functions see plain JSON bytes.
 */
export class GenesysClient implements GenesysSender {
  readonly #options: GenesysClientOptions;

  constructor(options: GenesysClientOptions) {
    this.#options = options;
  }

  #retriesWaiting = 0;

  send(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    const sharing = this.#options.readSharing;
    if (!upstream.read || !sharing) return this.#fetch(upstream);
    return sharing.share(upstream, () => this.#fetch(upstream));
  }

  /** One HTTP call, charged to the budget first: a call refused there is never made. */
  async #charged(upstream: UpstreamRequest, token: string): Promise<UpstreamResponse> {
    const budget = this.#options.budget;
    const budgetKey = this.#options.budgetKey;
    if (budget) {
      await budget.charge(
        upstream.tenantId === undefined
          ? { kind: 'proxy', reason: 'directory' }
          : { kind: 'tenant', tenantId: upstream.tenantId, ...(budgetKey !== undefined ? { budget: budgetKey } : {}) },
      );
    }
    const response = await this.#once(upstream, token);
    // Genesys's limit headers describe the client that made the call: only the proxy's own adjust its budget.
    if (budgetKey === undefined) budget?.observe(response.headers, response.status);
    return response;
  }

  async #fetch(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    const { tokens } = this.#options;
    let token = await tokens.getToken();
    let response = await this.#charged(upstream, token);
    let calls = 1;
    if (response.status === 401) {
      // A revoked or expired token: replace it once. A second 401 is the proxy's own misconfiguration.
      await tokens.invalidate(token);
      token = await tokens.getToken();
      response = await this.#charged(upstream, token);
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
        response = await this.#charged(upstream, token);
        calls += 1;
      }
    }
    return { ...response, calls };
  }

  async #once(upstream: UpstreamRequest, token: string): Promise<UpstreamResponse> {
    const { apiUrl, dispatcher, timeoutMs, userAgent } = this.#options;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'accept-encoding': 'identity',
      'inin-correlation-id': upstream.correlationId,
      'user-agent': userAgent,
    };
    if (upstream.body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(apiUrl + upstream.pathAndQuery, {
        method: upstream.method as Dispatcher.HttpMethod,
        headers,
        body: upstream.body,
        dispatcher,
        signal,
      });
    } catch (error) {
      throw networkFailure(error, signal);
    }
    let raw: Buffer;
    try {
      raw = await this.#readBody(response.body);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw networkFailure(error, signal);
    }
    return { status: response.statusCode, headers: response.headers, body: await this.#decode(raw, response.headers), calls: 1 };
  }

  #readBody(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
    return readCapped(body, this.#options.maxBodyBytes);
  }

  async #decode(raw: Buffer, headers: Record<string, string | string[] | undefined>): Promise<Buffer> {
    const encoding = String(headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity' || encoding === '') return raw;
    const decode = decoders[encoding];
    if (!decode) throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned an unsupported content encoding.' });
    try {
      return await decode(raw, { maxOutputLength: this.#options.maxBodyBytes });
    } catch (error) {
      throw new GatewayError('upstream.bad.response', {
        message: 'Genesys Cloud returned a compressed response the proxy could not decode.',
        cause: error,
      });
    }
  }
}

function networkFailure(error: unknown, signal: AbortSignal): GatewayError {
  if (signal.aborted) return new GatewayError('upstream.timeout', { cause: error });
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
