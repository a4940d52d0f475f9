export type CanonicalTarget =
  | { readonly ok: true; readonly path: string; readonly query: string }
  | { readonly ok: false; readonly reason: string };

const MAX_TARGET_LENGTH = 8192;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * Accepts a request target only if it is already canonical, so the path the policy table checks
 * is byte for byte the path sent upstream. Nothing is normalised: `..`, `%2e`, `%2f`, `\`, `//`,
 * `;` and trailing slashes are refused rather than interpreted, because every decoder in the chain
 * (ours, Genesys's, a load balancer's) might interpret them differently.
 */
export function canonicalRequestTarget(raw: string): CanonicalTarget {
  if (raw.length > MAX_TARGET_LENGTH) return refuse('the request target is too long');
  if (!raw.startsWith('/')) return refuse('the request target must be an origin-form path');
  if (!PRINTABLE_ASCII.test(raw)) return refuse('the request target must be printable ASCII');
  if (raw.includes('#') || raw.includes('\\')) return refuse('the request target contains a forbidden character');
  const mark = raw.indexOf('?');
  const path = mark === -1 ? raw : raw.slice(0, mark);
  const query = mark === -1 ? '' : raw.slice(mark + 1);
  if (path !== '/') {
    const segments = path.slice(1).split('/');
    for (const segment of segments) {
      if (segment === '') return refuse('the path has an empty segment (// or a trailing slash)');
      if (segment === '.' || segment === '..') return refuse('the path has a dot segment');
      // No percent-encoding at all in paths: Genesys paths are plain words and ids, and encoded
      // dots, slashes or percents are the classic way to make two parsers disagree.
      if (!SEGMENT.test(segment)) return refuse('the path has an encoded or reserved character');
    }
  }
  if (BAD_PERCENT.test(query)) return refuse('the query string has a malformed percent-encoding');
  return { ok: true, path, query };
}

function refuse(reason: string): CanonicalTarget {
  return { ok: false, reason };
}
