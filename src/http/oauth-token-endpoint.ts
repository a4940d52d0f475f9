import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { digestApiKey, digestsEqual } from '../tenants/api-key.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';
import type { TenantTokenIssuer } from '../tenant-tokens/token-issuer.js';
import type { FailureThrottle } from '../state/rate-limits/failure-throttle.js';
import { clientAddressKey } from './middleware/authenticate.js';
import { stateOf } from './request-state.js';
import { sendJson } from './send.js';

export interface OAuthTokenEndpointOptions {
  readonly tenants: () => TenantRegistry;
  readonly issuer: TenantTokenIssuer;
  readonly now?: () => number;
  readonly maxBodyBytes?: number;
  /** Counts failed client authentications per client address and per key id. */
  readonly failures?: FailureThrottle;
  readonly onThrottled?: () => void;
}

type OAuthError = 'invalid_client' | 'invalid_request' | 'unsupported_grant_type';

class OAuthRefusal {
  constructor(
    readonly status: number,
    readonly error: OAuthError,
    readonly description: string,
    /** For the audit log only. */
    readonly denial: string,
    /** The key id a failed client authentication named, for the per-key-id throttle. */
    readonly keyId?: string,
  ) {}
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const MAX_KEY_ID_LENGTH = 128;
const MAX_KEY_LENGTH = 512;
/** Compared against when the key id is unknown, so both failures cost the same. */
const NO_DIGEST = Buffer.alloc(32);

/**
 * `POST /oauth/token` as Genesys's login host answers it, so the official SDKs' client-credentials
 * login works against the proxy: the API key id and key are the client id and secret. Errors use
 * the OAuth shape those SDKs expect from the login host, and never say which part was wrong.
 */
export function oauthTokenEndpoint(options: OAuthTokenEndpointOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? 4096;
  return async function oauthTokenMiddleware(req, res, next) {
    const state = stateOf(res);
    if (req.method !== 'POST' || state.path !== '/oauth/token') {
      next();
      return;
    }
    try {
      const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (mediaType !== FORM_TYPE) {
        throw new OAuthRefusal(415, 'invalid_request', `the body must be ${FORM_TYPE}`, 'token exchange: not a form body');
      }
      const form = new URLSearchParams((await readBody(req, maxBodyBytes)).toString('utf8'));
      const at = now();
      const { tenant, key } = authenticateClient(req.headers.authorization, options.tenants(), at);
      const grantTypes = form.getAll('grant_type');
      if (grantTypes.length !== 1) throw new OAuthRefusal(400, 'invalid_request', 'grant_type is required once', 'token exchange: no grant type');
      if (grantTypes[0] !== 'client_credentials') {
        throw new OAuthRefusal(400, 'unsupported_grant_type', 'grant type not supported', 'token exchange: unsupported grant type');
      }
      const issued = await options.issuer.issue(key, at);
      if (!issued) throw invalidClient('expired key');
      state.tenant = tenant;
      state.key = key;
      res.setHeader('pragma', 'no-cache');
      sendJson(res, 200, { access_token: issued.accessToken, token_type: 'bearer', expires_in: issued.expiresIn }, state.correlationId);
    } catch (caught) {
      if (!(caught instanceof OAuthRefusal)) throw caught;
      const error = caught.error === 'invalid_client' ? throttled(caught, req, options) : caught;
      state.denial = error.denial;
      if (error.status === 413) res.setHeader('connection', 'close');
      if (error instanceof ThrottledRefusal) res.setHeader('retry-after', String(error.retryAfterSeconds));
      res.setHeader('pragma', 'no-cache');
      sendJson(res, error.status, { error: error.error, description: error.description, error_description: error.description }, state.correlationId);
    }
  };
}

function authenticateClient(authorization: string | undefined, registry: TenantRegistry, nowMs: number) {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(authorization ?? '');
  if (!match) throw invalidClient('no client credentials');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const keyId = decoded.slice(0, colon);
  const presented = decoded.slice(colon + 1);
  if (colon < 1 || keyId.length > MAX_KEY_ID_LENGTH || presented.length === 0 || presented.length > MAX_KEY_LENGTH) {
    throw invalidClient('malformed client credentials');
  }
  const record = registry.keyById(keyId);
  const matches = digestsEqual(record?.digest ?? NO_DIGEST, digestApiKey(presented));
  if (!record || !matches) throw invalidClient(record ? 'wrong key' : 'unknown key id', keyId);
  const lookup = registry.tenantFromKeyId(keyId, nowMs);
  if (!lookup.ok) throw invalidClient(lookup.reason === 'expired' ? 'expired key' : 'unknown key id', keyId);
  return lookup;
}

function invalidClient(denial: string, keyId?: string): OAuthRefusal {
  return new OAuthRefusal(400, 'invalid_client', 'authentication failed', `token exchange: ${denial}`, keyId);
}

class ThrottledRefusal extends OAuthRefusal {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'invalid_request', 'too many failed attempts; retry later', 'token exchange: failed credentials throttled');
  }
}

/**
 * A failed client authentication counts against the client's address and the key id it named;
 * past either one's allowance it is answered 429. The secret is checked first, so the right one
 * always works, whoever else is failing with that key id or from that address.
 */
function throttled(refusal: OAuthRefusal, req: IncomingMessage, options: OAuthTokenEndpointOptions): OAuthRefusal {
  const failures = options.failures;
  if (!failures) return refusal;
  const waits = [failures.fail(clientAddressKey(req)), refusal.keyId === undefined ? 0 : failures.fail(`key:${refusal.keyId}`)];
  const waitMs = Math.max(...waits);
  if (waitMs <= 0) return refusal;
  options.onThrottled?.();
  return new ThrottledRefusal(Math.max(1, Math.ceil(waitMs / 1000)));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new OAuthRefusal(413, 'invalid_request', 'the request body is too large', 'token exchange: body too large');
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    // A client that goes away mid-body is its own problem, not a proxy failure worth a 500 in the log.
    const unreadable = () => reject(new OAuthRefusal(400, 'invalid_request', 'the request body could not be read', 'token exchange: body unreadable'));
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', unreadable);
    req.once('close', () => {
      if (!req.complete) unreadable();
    });
  });
}
