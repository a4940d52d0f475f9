import type { ForcedEncoding } from './respond.js';

interface FaultScope {
  /** Default: any `/api/` path. Token faults always apply to `/oauth/token` only. */
  readonly pathPrefix?: string;
  readonly method?: string;
  /** Fire this many times, then expire. Default: until cleared. */
  readonly times?: number;
}

export type FaultRule = FaultScope &
  (
    | { readonly kind: 'status'; readonly status: number; readonly code?: string; readonly message?: string }
    | { readonly kind: 'rateLimit'; readonly retryAfterSeconds?: number }
    | { readonly kind: 'malformedJson' }
    | { readonly kind: 'wrongContentType' }
    | { readonly kind: 'gzip'; readonly encoding?: ForcedEncoding }
    | { readonly kind: 'delay'; readonly ms: number }
    | { readonly kind: 'reset'; readonly resetBeforeHeaders?: boolean }
    | { readonly kind: 'ignoreDivisionFilter' }
    | { readonly kind: 'tokenDown'; readonly mode?: 'status' | 'reset' }
    | { readonly kind: 'tokenRefuse' }
  );

export type FaultKind = FaultRule['kind'];

const TOKEN_KINDS: ReadonlySet<FaultKind> = new Set(['tokenDown', 'tokenRefuse']);
export const TOKEN_PATH = '/oauth/token';

/** Faults switchable at runtime. Rules are checked in order and the first match wins. */
export class FaultController {
  readonly #rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) throw new Error(`fault times must be a positive integer, got ${rule.times}`);
    if (rule.kind === 'status' && (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)) throw new Error(`fault status must be an HTTP status, got ${rule.status}`);
    if (rule.kind === 'delay' && !(rule.ms >= 0)) throw new Error(`fault delay must be a non-negative number of ms, got ${rule.ms}`);
    this.#rules.push({ rule, remaining: rule.times ?? Infinity });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The live rules; `times` shows what is left of a limited rule. */
  active(): FaultRule[] {
    return this.#rules.map(({ rule, remaining }) => (Number.isFinite(remaining) ? { ...rule, times: remaining } : rule));
  }

  /** The first live rule of one of `kinds` matching the request; firing it uses up one of its times. */
  take(method: string, path: string, kinds: ReadonlySet<FaultKind>): FaultRule | undefined {
    const index = this.#rules.findIndex(({ rule }) => kinds.has(rule.kind) && applies(rule, method, path));
    if (index === -1) return undefined;
    const entry = this.#rules[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#rules.splice(index, 1);
    return entry.rule;
  }
}

function applies(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (TOKEN_KINDS.has(rule.kind)) return path === TOKEN_PATH;
  return rule.pathPrefix === undefined ? path.startsWith('/api/') : path.startsWith(rule.pathPrefix);
}
