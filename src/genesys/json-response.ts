import { GatewayError } from '../errors.js';

/** Only JSON is scoped, and what is not JSON is never passed through. */
export function parseUpstreamJson(body: Buffer, contentType: string | string[] | undefined): unknown {
  assertUpstreamJson(contentType);
  return parseBytes(body);
}

function parseBytes(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned malformed JSON.', cause: error });
  }
}

/** Only JSON answers are scoped; anything else is the proxy's 502. */
export function assertUpstreamJson(contentType: string | string[] | undefined): void {
  const type = String(contentType ?? '').toLowerCase();
  if (!/^application\/(?:[a-z0-9.+-]+\+)?json\b/.test(type)) {
    throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a response that is not JSON.' });
  }
}

const sharedParses = new WeakMap<Buffer, unknown>();

/**
 * One parse for every waiter of a shared upstream answer: parsing is most of what a scoped
 * request costs, and coalesced waiters hold the same bytes. The parsed value is deep-frozen
 * because each waiter scopes it for a different tenant: a scoper that wrote into it would carry
 * one tenant's view into another's answer, so the write throws instead and the request fails closed.
 */
export function parseSharedUpstreamJson(body: Buffer, contentType: string | string[] | undefined): unknown {
  assertUpstreamJson(contentType);
  if (sharedParses.has(body)) return sharedParses.get(body);
  const parsed = deepFreeze(parseBytes(body));
  sharedParses.set(body, parsed);
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
