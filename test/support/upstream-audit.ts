import { compilePolicy } from '../../src/scoping/policy.js';
import { policyTable } from '../../src/scoping/policy-table.js';
import type { LoggedRequest, RequestLog } from '../../src/simulator/index.js';

const policy = compilePolicy(policyTable);

/**
 * Request headers the proxy may send Genesys: its own token, content negotiation, the correlation
 * id and framing. Anything else would be something of the tenant's passed on.
 */
const UPSTREAM_HEADERS = new Set([
  'host',
  'connection',
  'authorization',
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'inin-correlation-id',
  'user-agent',
]);

/** True when the call is one a policy row (or the proxy's own login) makes. */
export function isListedUpstreamCall(entry: LoggedRequest): boolean {
  if (entry.method === 'POST' && entry.path === '/oauth/token') return true;
  return policy.match(entry.method, entry.path) !== undefined;
}

/**
 * What is wrong with the upstream calls in `entries`: a method and path no policy row uses, a
 * header outside the allowlist, a tenant credential anywhere in the call, a token that is not
 * the proxy's own Bearer token. Empty when all is well.
 */
export function upstreamProblems(entries: readonly LoggedRequest[], tenantCredentials: readonly string[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const call = `${entry.method} ${entry.url}`;
    if (!isListedUpstreamCall(entry)) problems.push(`unlisted upstream call ${call}`);
    for (const name of Object.keys(entry.headers)) {
      if (!UPSTREAM_HEADERS.has(name)) problems.push(`header ${name} sent upstream on ${call}`);
    }
    const everything = `${entry.url}\n${JSON.stringify(entry.headers)}\n${entry.body}`;
    for (const credential of tenantCredentials) {
      if (everything.includes(credential)) problems.push(`a tenant credential went upstream on ${call}`);
    }
    if (entry.path !== '/oauth/token' && !/^Bearer [A-Za-z0-9_-]+$/.test(String(entry.headers.authorization ?? ''))) {
      problems.push(`no proxy token on ${call}`);
    }
  }
  return problems;
}

/** The Genesys tokens the proxy has used so far: none may ever reach a tenant. */
export function genesysTokensSeen(log: RequestLog): string[] {
  const tokens = new Set<string>();
  for (const entry of log.all()) {
    const match = /^Bearer (\S+)$/.exec(String(entry.headers.authorization ?? ''));
    if (match) tokens.add(match[1]!);
  }
  return [...tokens];
}

/** A cursor into the request log, so a test can look at the calls one request caused. */
export function logCursor(log: RequestLog): () => LoggedRequest[] {
  const start = log.all().length;
  return () => log.all().slice(start);
}
