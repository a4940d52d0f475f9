import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { GatewayError } from '../errors.js';
import { parseUpstreamJson } from '../genesys/json-response.js';
import type { TokenManager } from '../genesys/token-manager.js';
import { upstreamFailure } from '../genesys/upstream-errors.js';
import { describeNetworkError } from '../genesys/login-client.js';
import { stateOf } from './request-state.js';

export interface StreamProxyOptions {
  readonly apiUrl: string;
  readonly tokens: TokenManager;
  readonly timeoutMs: number;
  readonly maxSockets: number;
  readonly userAgent: string;
}

/** Response headers a streamed answer keeps; everything else from Genesys stays behind. */
const RESPONSE_HEADERS = ['content-type', 'content-encoding', 'etag', 'last-modified'];
const MAX_ERROR_BODY = 64 * 1024;
/** Streamed rows answer short lists (wrap-up codes); a longer answer is not what was asked for. */
const MAX_RELAYED_BODY = 8 * 1024 * 1024;
const decoders: Record<string, (input: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

interface StreamAttempt {
  pathAndQuery: string;
  token: string;
  sentAt: number;
  retried: boolean;
  timedOut: boolean;
  next: NextFunction;
}

const ATTEMPT = Symbol('gateway.stream');
type WithAttempt = Request & { [ATTEMPT]?: StreamAttempt };

export interface StreamProxy {
  forward(req: Request, res: Response, next: NextFunction, pathAndQuery: string): Promise<void>;
  close(): void;
}

/**
 * Streams Genesys answers that need no scoping through http-proxy-middleware. The upstream request
 * is rebuilt from an allowlist of headers (the tenant's credential never leaves the proxy), and
 * a 401 replaces the proxy's token once, as the buffered client does.
 */
export function createStreamProxy(options: StreamProxyOptions): StreamProxy {
  const secure = options.apiUrl.startsWith('https:');
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: options.maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const upstreamHost = new URL(options.apiUrl).host;

  const proxy = createProxyMiddleware<Request, Response>({
    target: options.apiUrl,
    changeOrigin: true,
    agent,
    ws: false,
    xfwd: false,
    selfHandleResponse: true,
    pathRewrite: (_path, req) => attemptOf(req).pathAndQuery,
    on: {
      proxyReq(proxyReq: ClientRequest, req: Request) {
        const attempt = attemptOf(req);
        for (const name of proxyReq.getHeaderNames()) proxyReq.removeHeader(name);
        proxyReq.setHeader('host', upstreamHost);
        proxyReq.setHeader('authorization', `Bearer ${attempt.token}`);
        proxyReq.setHeader('accept', 'application/json');
        const acceptEncoding = req.headers['accept-encoding'];
        if (typeof acceptEncoding === 'string') proxyReq.setHeader('accept-encoding', acceptEncoding);
        proxyReq.setHeader('inin-correlation-id', stateOfRequest(req).correlationId);
        proxyReq.setHeader('user-agent', options.userAgent);
        proxyReq.setTimeout(options.timeoutMs, () => {
          attempt.timedOut = true;
          proxyReq.destroy(new Error('upstream timeout'));
        });
        // Streamed routes carry no request body (the handler refuses one), so the request ends
        // here; a retry after a 401 then works although the tenant's request is already read.
        proxyReq.end();
      },
      proxyRes(proxyRes: IncomingMessage, req: Request, res: Response) {
        void handleResponse(proxyRes, req, res).catch((error: unknown) => attemptOf(req).next(error));
      },
      error(error: Error, req: Request, res: Response | import('node:net').Socket) {
        const attempt = attemptOf(req);
        if ('headersSent' in res && res.headersSent) {
          res.destroy(error);
          return;
        }
        attempt.next(
          attempt.timedOut
            ? new GatewayError('upstream.timeout', { cause: error })
            : new GatewayError('upstream.unreachable', {
                message: `Genesys Cloud could not be reached (${describeNetworkError(error)}).`,
                cause: error,
              }),
        );
      },
    },
  });

  async function handleResponse(proxyRes: IncomingMessage, req: Request, res: Response): Promise<void> {
    const attempt = attemptOf(req);
    const status = proxyRes.statusCode ?? 502;
    const state = stateOf(res);
    state.upstreamStatus = status;
    state.upstreamMs += performance.now() - attempt.sentAt;
    if (status === 401 && !attempt.retried) {
      proxyRes.resume();
      attempt.retried = true;
      await options.tokens.invalidate(attempt.token);
      attempt.token = await options.tokens.getToken();
      attempt.sentAt = performance.now();
      state.upstreamCalls += 1;
      await proxy(req, res, attempt.next);
      return;
    }
    if (status >= 400) {
      throw upstreamFailure(status, await readCapped(proxyRes, MAX_ERROR_BODY), proxyRes.headers);
    }
    // Genesys's bytes go out unchanged, but only once they are all there and are JSON: an answer
    // cut short, malformed or not JSON is a 502 as on scoped routes, never a 200 that cannot be read.
    const body = await completeJsonAnswer(proxyRes, attempt);
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      'inin-correlation-id': state.correlationId,
      'content-length': String(body.length),
    };
    for (const name of RESPONSE_HEADERS) {
      const value = proxyRes.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  async function forward(req: Request, res: Response, next: NextFunction, pathAndQuery: string): Promise<void> {
    const attempt: StreamAttempt = {
      pathAndQuery,
      token: await options.tokens.getToken(),
      sentAt: performance.now(),
      retried: false,
      timedOut: false,
      next: once(next),
    };
    (req as WithAttempt)[ATTEMPT] = attempt;
    stateOf(res).upstreamCalls += 1;
    await proxy(req, res, next);
  }

  return { forward, close: () => agent.destroy() };
}

/** The proxy's error event and the response handler may both report one failure; the first wins. */
function once(next: NextFunction): NextFunction {
  let called = false;
  return (error?: unknown) => {
    if (called) return;
    called = true;
    next(error);
  };
}

async function completeJsonAnswer(proxyRes: IncomingMessage, attempt: StreamAttempt): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of proxyRes) {
      size += (chunk as Buffer).length;
      if (size > MAX_RELAYED_BODY) {
        proxyRes.destroy();
        throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a response larger than the proxy relays.' });
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    if (attempt.timedOut) throw new GatewayError('upstream.timeout', { cause: error });
    throw new GatewayError('upstream.unreachable', { message: `Genesys Cloud could not be reached (${describeNetworkError(error)}).`, cause: error });
  }
  const raw = Buffer.concat(chunks, size);
  const encoding = String(proxyRes.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let plain: Buffer = raw;
  if (encoding !== 'identity' && encoding !== '') {
    const decode = decoders[encoding];
    if (!decode) throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned an unsupported content encoding.' });
    plain = await decode(raw, { maxOutputLength: MAX_RELAYED_BODY }).catch((error: unknown) => {
      throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a compressed response the proxy could not decode.', cause: error });
    });
  }
  parseUpstreamJson(plain, proxyRes.headers['content-type']);
  return raw;
}

function attemptOf(req: Request): StreamAttempt {
  const attempt = (req as WithAttempt)[ATTEMPT];
  if (!attempt) throw new Error('stream proxy called without an attempt');
  return attempt;
}

function stateOfRequest(req: Request): { correlationId: string } {
  return stateOf(req.res as Response);
}

async function readCapped(stream: IncomingMessage, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > cap) {
      stream.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
