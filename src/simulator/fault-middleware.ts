import type { RequestHandler, Response } from 'express';
import { defaultError, oauthError } from './errors.js';
import { TOKEN_PATH, type FaultController, type FaultKind, type FaultRule } from './faults.js';
import { localsOf, sendBytes, sendError, sendJson } from './respond.js';
import type { TimerSet } from './timers.js';

const RESPONSE_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'status',
  'rateLimit',
  'malformedJson',
  'wrongContentType',
  'gzip',
  'delay',
  'reset',
  'tokenDown',
  'tokenRefuse',
]);

const TRUNCATED_JSON = '{"entities":[{"id":"a0000001-0000-4000-8000-000000000001","name":"Acme North Queue 1","division":{"id":"d0000000-0000-4000-8000-0000000';
const HTML_PAGE = '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream edge could not complete the request.</p></body></html>';

/** Applies the first matching fault before the request reaches authentication or a route. */
export function faultMiddleware(faults: FaultController, timers: TimerSet): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    const rule = faults.take(req.method, path, RESPONSE_KINDS);
    if (!rule) {
      next();
      return;
    }
    if (rule.kind === 'gzip') {
      localsOf(res).forcedEncoding = rule.encoding ?? 'gzip';
      next();
      return;
    }
    if (rule.kind === 'delay') {
      const cancel = timers.after(rule.ms, () => next());
      res.on('close', cancel);
      return;
    }
    answer(rule, res, path === TOKEN_PATH);
  };
}

function answer(rule: FaultRule, res: Response, tokenEndpoint: boolean): void {
  switch (rule.kind) {
    case 'status': {
      const fallback = defaultError(rule.status);
      if (tokenEndpoint) sendJson(res, rule.status, oauthError('server_error', rule.message ?? fallback.message));
      else sendError(res, rule.status, rule.code ?? fallback.code, rule.message ?? fallback.message);
      return;
    }
    case 'rateLimit': {
      const seconds = rule.retryAfterSeconds ?? 3;
      res.setHeader('Retry-After', String(seconds));
      res.setHeader('inin-ratelimit-count', '301');
      res.setHeader('inin-ratelimit-allowed', '300');
      res.setHeader('inin-ratelimit-reset', String(seconds));
      sendError(res, 429, 'too.many.requests.retry.after', `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`);
      return;
    }
    case 'malformedJson':
      sendBytes(res, 200, Buffer.from(TRUNCATED_JSON), 'application/json; charset=UTF-8');
      return;
    case 'wrongContentType':
      sendBytes(res, 200, Buffer.from(HTML_PAGE), 'text/html; charset=UTF-8');
      return;
    case 'reset':
      if (rule.resetBeforeHeaders) {
        res.socket?.destroy();
        return;
      }
      // Headers promise a longer body than ever arrives: the client sees a connection reset mid-body.
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(TRUNCATED_JSON.length * 8) });
      res.write(TRUNCATED_JSON, () => res.socket?.destroy());
      return;
    case 'tokenDown':
      if (rule.mode === 'reset') res.socket?.destroy();
      else sendJson(res, 503, oauthError('temporarily_unavailable', 'The authorization server is temporarily unavailable.'));
      return;
    case 'tokenRefuse':
      sendJson(res, 400, oauthError('invalid_client', 'authentication failed'));
      return;
    default:
      return;
  }
}
