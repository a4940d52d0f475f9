import type { Request } from 'express';
import { badRequest, invalidValue } from './errors.js';

/**
 * Query parameters read from the raw URL. Array parameters are accepted both as repeated keys
 * and comma-joined (the official SDK sends the latter), in any mixture.
 */
export class QueryParams {
  readonly raw: string;
  readonly #params: URLSearchParams;

  constructor(raw: string) {
    this.raw = raw;
    this.#params = new URLSearchParams(raw);
  }

  static of(req: Request): QueryParams {
    const url = req.originalUrl;
    const mark = url.indexOf('?');
    return new QueryParams(mark === -1 ? '' : url.slice(mark + 1));
  }

  get(name: string): string | undefined {
    return this.#params.get(name) ?? undefined;
  }

  list(name: string): string[] {
    return this.#params
      .getAll(name)
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter((value) => value.length > 0);
  }

  names(): Set<string> {
    return new Set(this.#params.keys());
  }

  int(name: string, fallback: number, min = 1): number {
    const text = this.get(name);
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw badRequest(`Invalid value [${text}] for query parameter [${name}].`);
    return value;
  }

  bool(name: string): boolean | undefined {
    const text = this.get(name)?.toLowerCase();
    if (text === undefined || text === '') return undefined;
    if (text !== 'true' && text !== 'false') throw badRequest(`Invalid value [${text}] for query parameter [${name}].`);
    return text === 'true';
  }

  /** An enum parameter, case-insensitive, answered with Genesys's `invalid.value` wording. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T, fieldType: string): T {
    const text = this.get(name);
    if (text === undefined || text === '') return fallback;
    const found = allowed.find((value) => value.toLowerCase() === text.toLowerCase());
    if (!found) throw invalidValue(text, fieldType, allowed);
    return found;
  }

  /** Rejects parameters the endpoint does not know, when the simulator is asked to be strict. */
  assertKnown(known: readonly string[], strict: boolean): void {
    if (!strict) return;
    for (const name of this.names()) {
      if (!known.includes(name)) throw badRequest(`Unknown query parameter [${name}].`);
    }
  }
}

/** Queue and division names: leading and trailing `*` are wildcards, matching ignores case. */
export function nameMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined || pattern === '') return () => true;
  const lower = pattern.toLowerCase();
  const leading = lower.startsWith('*');
  const trailing = lower.length > 1 && lower.endsWith('*');
  const core = lower.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return (name) => name.toLowerCase().includes(core);
  if (leading) return (name) => name.toLowerCase().endsWith(core);
  if (trailing) return (name) => name.toLowerCase().startsWith(core);
  return (name) => name.toLowerCase() === core;
}
