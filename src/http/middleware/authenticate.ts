import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import { looksLikeJwt } from '../../tenant-tokens/claims.js';
import type { TenantTokenVerifier, TokenLookup } from '../../tenant-tokens/token-verifier.js';
import type { KeyLookup, TenantRegistry } from '../../tenants/tenant-registry.js';
import type { FailureThrottle } from '../../state/rate-limits/failure-throttle.js';
import { stateOf } from '../request-state.js';

export interface AuthenticateOptions {
  readonly tenants: () => TenantRegistry;
  readonly now?: () => number;
  /** Verifies the proxy's own tokens (from `POST /oauth/token`); without it every Bearer value is an API key. */
  readonly tokens?: TenantTokenVerifier;
  /** Counts failed credentials per client address; a throttled address gets 429 for its failures. */
  readonly failures?: FailureThrottle;
  readonly onThrottled?: () => void;
}

/**
 * Maps the presented credential to a tenant. Keys come only from headers (`Authorization: Bearer`
 * or `X-API-Key`), never from the query string, where they would end up in access logs.
 * A Bearer value shaped like a JWT is one of the proxy's tenant tokens; its tenant and key are
 * looked up in the current registry all the same, so removing either takes effect at once.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const now = options.now ?? Date.now;
  return async function authenticateMiddleware(req, res, next) {
    const state = stateOf(res);
    const presented = presentedKey(req.headers.authorization, req.headers['x-api-key']);
    if (presented === undefined) {
      throw new GatewayError('authentication.required', { audit: 'no credential' });
    }
    const tokens = req.headers['x-api-key'] === undefined && looksLikeJwt(presented) ? options.tokens : undefined;
    const lookup = tokens
      ? await tokens.lookup(presented, options.tenants(), now())
      : withDenial(options.tenants().tenantFromApiKey(presented, now()));
    if (!lookup.ok) {
      // The credential is checked first, so a valid one is never slowed by anyone's failures.
      const waitMs = options.failures?.fail(clientAddressKey(req)) ?? 0;
      if (waitMs > 0) {
        options.onThrottled?.();
        throw credentialsThrottled(waitMs);
      }
      throw new GatewayError(lookup.reason === 'expired' ? 'credentials.expired' : 'bad.credentials', { audit: lookup.denial });
    }
    state.tenant = lookup.tenant;
    state.key = lookup.key;
    state.scope = {
      tenantId: lookup.tenant.id,
      divisionIds: lookup.tenant.divisionIds,
      divisions: lookup.tenant.divisions,
    };
    next();
  };
}

function withDenial(lookup: KeyLookup): TokenLookup {
  return lookup.ok ? lookup : { ok: false, reason: lookup.reason, denial: lookup.reason === 'expired' ? 'expired key' : 'unknown key' };
}

function presentedKey(authorization: string | undefined, apiKey: string | string[] | undefined): string | undefined {
  if (Array.isArray(apiKey)) throw new GatewayError('bad.request', { message: 'A credential header was sent more than once.' });
  if (authorization !== undefined && apiKey !== undefined) {
    throw new GatewayError('bad.request', { message: 'Send either Authorization or X-API-Key, not both.' });
  }
  if (apiKey !== undefined) return apiKey.trim() || undefined;
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new GatewayError('authentication.required', { message: 'The Authorization header must be "Bearer <key>".' });
  return match[1];
}

/** The throttle's key for the client's address (the socket's peer: the proxy trusts no forwarding header). */
export function clientAddressKey(req: { readonly socket: { readonly remoteAddress?: string | undefined } }): string {
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

export function credentialsThrottled(waitMs: number): GatewayError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new GatewayError('too.many.requests', {
    audit: 'failed credentials throttled',
    retryAfter,
    message: `Too many failed credentials from this client. Retry the request in [${retryAfter}] seconds.`,
  });
}
