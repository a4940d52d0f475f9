/** Path parameter kinds: Genesys object ids are UUIDs; job ids and cursors are opaque tokens. */
const PARAM_PATTERNS = {
  uuid: /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/,
  token: /^[A-Za-z0-9_-]{1,128}$/,
} as const;

type Segment = { readonly literal: string } | { readonly param: string; readonly pattern: RegExp };

export interface RoutePattern {
  readonly source: string;
  match(path: string): Record<string, string> | undefined;
}

/**
 * Compiles `/api/v2/routing/queues/{queueId}` (UUID) or `/jobs/{jobId:token}` once. Matching is
 * exact and case-sensitive, segment by segment: no wildcards, no optional parts.
 */
export function compileRoutePattern(source: string): RoutePattern {
  const segments: Segment[] = source
    .slice(1)
    .split('/')
    .map((part) => {
      const param = /^\{([A-Za-z]+)(?::(uuid|token))?\}$/.exec(part);
      if (!param) {
        if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new Error(`bad route pattern segment "${part}" in ${source}`);
        return { literal: part };
      }
      return { param: param[1]!, pattern: PARAM_PATTERNS[(param[2] ?? 'uuid') as keyof typeof PARAM_PATTERNS] };
    });
  return {
    source,
    match(path) {
      const parts = path.slice(1).split('/');
      if (parts.length !== segments.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i]!;
        if ('literal' in segment) {
          if (segment.literal !== part) return undefined;
        } else {
          if (!segment.pattern.test(part)) return undefined;
          params[segment.param] = part;
        }
      }
      return params;
    },
  };
}
