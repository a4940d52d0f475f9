import { GatewayError } from '../errors.js';

/**
 * Turns a non-2xx Genesys answer into the proxy's own error. The upstream body is never relayed
 * as is: only a short, printable message for the tenant's own mistakes (400, 409, …), nothing
 * for the rest, so no entity names, ids or upstream context ids cross over.
 */
export function upstreamFailure(status: number, body: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayError {
  if (status === 404) return new GatewayError('not.found');
  if (status === 401) {
    return new GatewayError('upstream.error', { message: 'Genesys Cloud rejected the proxy’s own credentials.' });
  }
  if (status === 403) {
    return new GatewayError('not.authorized', {
      message: 'Genesys Cloud refused this action to the proxy’s OAuth client (a permission is missing).',
    });
  }
  if (status === 429) {
    return new GatewayError('upstream.rate.limited', { retryAfter: retryAfterSeconds(headers['retry-after']) ?? 1 });
  }
  if (status === 504) return new GatewayError('upstream.timeout');
  if (status >= 400 && status < 500) {
    const message = genesysMessage(body);
    return new GatewayError('bad.request', { status, ...(message ? { message } : {}) });
  }
  return new GatewayError('upstream.error', { message: `Genesys Cloud answered with an error (status ${status}).` });
}

export function retryAfterSeconds(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || !/^\d{1,6}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

function genesysMessage(body: Buffer): string | undefined {
  if (body.length === 0 || body.length > 64 * 1024) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown };
    const message = parsed.message;
    if (typeof message !== 'string' || message.length === 0) return undefined;
    return message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 300);
  } catch {
    return undefined;
  }
}

/** A transport failure, named without anything secret in it: safe to log and to show. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    return code ?? error.name;
  }
  return 'unknown error';
}
