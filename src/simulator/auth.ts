import type { Request, RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { rawBodyText } from './body.js';
import { oauthError } from './errors.js';
import { localsOf, sendError, sendJson } from './respond.js';
import type { TokenRateLimiter, TokenStore } from './tokens.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Also accept `client_id`/`client_secret` form fields (no SDK sends them; unverified on Genesys). */
  readonly acceptCredentialsInBody: boolean;
}

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

function presentedCredentials(req: Request, form: URLSearchParams, acceptBody: boolean): { id: string; secret: string } | undefined {
  const match = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return acceptBody && id !== null && secret !== null ? { id, secret } : undefined;
}

/** OAuth clients besides the main one, by id: their secret. */
export type OtherClients = (clientId: string) => { readonly clientSecret: string } | undefined;

/** POST /oauth/token: the client-credentials grant with OAuth-style (snake_case) errors. */
export function tokenHandler(tokens: TokenStore, client: ClientCredentials, others: OtherClients = () => undefined): RequestHandler {
  return (req, res) => {
    const contentType = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      sendJson(res, 415, oauthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded'));
      return;
    }
    const form = new URLSearchParams(rawBodyText(req));
    const presented = presentedCredentials(req, form, client.acceptCredentialsInBody);
    const expectedSecret = presented && (sameText(presented.id, client.clientId) ? client.clientSecret : others(presented.id)?.clientSecret);
    if (!presented || expectedSecret === undefined || !sameText(presented.secret, expectedSecret)) {
      sendJson(res, 400, oauthError('invalid_client', 'authentication failed'));
      return;
    }
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, oauthError('unsupported_grant_type', 'grant type is not supported'));
      return;
    }
    const issued = tokens.issue(presented.id);
    sendJson(res, 200, { access_token: issued.token, token_type: 'bearer', expires_in: issued.expiresIn });
  };
}

/** Every API route needs a live bearer token; with a budget set, each token is rate limited too. */
export function bearerAuth(tokens: TokenStore, limiter: TokenRateLimiter | undefined): RequestHandler {
  return (req, res, next) => {
    const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      sendError(res, 401, 'authentication.required', 'No authentication bearer token specified in authorization header.');
      return;
    }
    const token = match[1]!;
    if (!tokens.isValid(token)) {
      sendError(res, 401, 'bad.credentials', 'Invalid login credentials.');
      return;
    }
    if (limiter) {
      const decision = limiter.hit(token);
      res.setHeader('inin-ratelimit-count', String(decision.count));
      res.setHeader('inin-ratelimit-allowed', String(decision.limit));
      res.setHeader('inin-ratelimit-reset', String(decision.resetSeconds));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.resetSeconds));
        sendError(res, 429, 'too.many.requests.retry.after', `Rate limit exceeded the maximum. Retry the request in [${decision.resetSeconds}] seconds`);
        return;
      }
    }
    localsOf(res).clientId = tokens.clientOf(token);
    next();
  };
}
