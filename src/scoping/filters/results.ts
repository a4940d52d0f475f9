import { isRecord, UnexpectedShapeError, type ScopedResponse } from '../scope.js';

/**
 * Analytics answers (`{results: [{group, data}]}`): keeps the results whose group `keep` accepts
 * and only the top-level fields named, so nothing Genesys adds later passes unscoped.
 */
export function scopeGroupedResults(body: unknown, keep: (group: Readonly<Record<string, unknown>>) => boolean, fields: readonly string[]): ScopedResponse {
  if (!isRecord(body)) throw new UnexpectedShapeError('an analytics answer that is not an object');
  const results = body['results'] ?? [];
  if (!Array.isArray(results)) throw new UnexpectedShapeError('analytics results that are not an array');
  const kept = results.filter((result) => isRecord(result) && isRecord(result['group']) && keep(result['group']));
  const scoped: Record<string, unknown> = {};
  for (const field of fields) if (field !== 'results' && body[field] !== undefined) scoped[field] = body[field];
  scoped['results'] = kept;
  return { kind: 'ok', body: scoped, kept: kept.length, removed: results.length - kept.length };
}

/** Joins the answers of chunked queries: results concatenated, the other fields of the first. */
export function mergeResults(bodies: readonly unknown[]): unknown {
  const merged: Record<string, unknown> = {};
  const results: unknown[] = [];
  for (const body of bodies) {
    if (!isRecord(body)) throw new UnexpectedShapeError('an analytics answer that is not an object');
    const part = body['results'] ?? [];
    if (!Array.isArray(part)) throw new UnexpectedShapeError('analytics results that are not an array');
    for (const [field, value] of Object.entries(body)) if (field !== 'results' && !(field in merged)) merged[field] = value;
    results.push(...part);
  }
  merged['results'] = results;
  return merged;
}

export const emptyResults = (): unknown => ({ results: [] });

/** The group's value for a dimension, as a list (multi-valued dimensions may come as arrays). */
export function groupValues(group: Readonly<Record<string, unknown>>, dimension: string): string[] | undefined {
  const value = group[dimension];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return [];
}
