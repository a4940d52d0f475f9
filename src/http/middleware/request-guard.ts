import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import { canonicalRequestTarget } from '../canonical-target.js';
import { stateOf } from '../request-state.js';

const METHOD_OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override'];
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key']);

/**
 * Refuses requests whose shape could make two parsers disagree before anything reads them:
 * non-canonical targets, method-override headers, repeated credential headers and
 * underscore spellings of header names (which some proxies treat as dashes).
 */
export function requestGuard(): RequestHandler {
  return function requestGuardMiddleware(req, res, next) {
    const state = stateOf(res);
    const target = canonicalRequestTarget(req.url);
    if (!target.ok) {
      throw new GatewayError('path.not.canonical', { message: `The request path is not in canonical form: ${target.reason}.`, audit: target.reason });
    }
    state.path = target.path;
    state.rawQuery = target.query;
    for (const name of METHOD_OVERRIDES) {
      if (req.headers[name] !== undefined) {
        throw new GatewayError('bad.request', { message: 'Method override headers are not accepted.', audit: `method override header ${name}` });
      }
    }
    const seen = new Set<string>();
    const raw = req.rawHeaders;
    let hosts = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      if (name.includes('_')) {
        throw new GatewayError('bad.request', { message: 'Header names with underscores are not accepted.', audit: 'header name with an underscore' });
      }
      // RFC 9112 §3.2: more than one Host is a 400 (Node keeps the first and says nothing).
      if (name === 'host' && ++hosts > 1) {
        throw new GatewayError('bad.request', { message: 'The Host header was sent more than once.', audit: 'repeated host header' });
      }
      if (CREDENTIAL_HEADERS.has(name)) {
        if (seen.has(name)) {
          throw new GatewayError('bad.request', { message: 'A credential header was sent more than once.', audit: `repeated ${name} header` });
        }
        seen.add(name);
      }
    }
    next();
  };
}
