import { GatewayError } from '../errors.js';

/** Query parameters after validation: name → values, in the order the tenant gave them. */
export type QueryValues = ReadonlyMap<string, readonly string[]>;

export interface QuerySpec {
  /** Parameters that take one value; a repeat is refused rather than guessed at. */
  readonly single?: readonly string[];
  /** Array parameters: Genesys accepts repeated keys and comma-joined values, and so do we. */
  readonly multi?: readonly string[];
}

export interface CompiledQuerySpec {
  readonly single: ReadonlySet<string>;
  readonly multi: ReadonlySet<string>;
}

export function compileQuerySpec(spec: QuerySpec): CompiledQuerySpec {
  return { single: new Set(spec.single ?? []), multi: new Set(spec.multi ?? []) };
}

// Control characters have no business in a Genesys query and would survive into upstream logs.
const CONTROL = /[\x00-\x1f\x7f]/;

/** Parses and validates a raw query string against a route's allowlist of parameters. */
export function parseQuery(raw: string, spec: CompiledQuerySpec): QueryValues {
  const values = new Map<string, string[]>();
  if (raw === '') return values;
  for (const [name, value] of new URLSearchParams(raw)) {
    if (CONTROL.test(name) || CONTROL.test(value)) throw invalid('a query parameter contains a control character');
    if (spec.multi.has(name)) {
      const list = values.get(name) ?? [];
      for (const part of value.split(',')) {
        const trimmed = part.trim();
        if (trimmed !== '') list.push(trimmed);
      }
      values.set(name, list);
    } else if (spec.single.has(name)) {
      if (values.has(name)) throw invalid(`the query parameter "${safeName(name)}" may be given only once`);
      values.set(name, [value]);
    } else {
      throw invalid(`the query parameter "${safeName(name)}" is not supported on this route`);
    }
  }
  return values;
}

/** Serialises with repeated keys for arrays, the form the Genesys API reference documents. */
export function serializeQuery(values: QueryValues): string {
  const parts: string[] = [];
  for (const [name, list] of values) {
    for (const value of list) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

export function withValues(values: QueryValues, name: string, list: readonly string[] | undefined): QueryValues {
  const copy = new Map(values);
  if (list === undefined || list.length === 0) copy.delete(name);
  else copy.set(name, list);
  return copy;
}

export function singleValue(values: QueryValues, name: string): string | undefined {
  return values.get(name)?.[0];
}

/** A positive integer parameter, or the default; anything else is a 400, as Genesys would answer. */
export function positiveInteger(values: QueryValues, name: string, fallback: number): number {
  const raw = singleValue(values, name);
  if (raw === undefined) return fallback;
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw invalid(`the query parameter "${name}" must be a positive integer`);
  return Number(raw);
}

function invalid(message: string): GatewayError {
  return new GatewayError('query.invalid', { message });
}

function safeName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}
