import { isRecord } from '../scope.js';

/**
 * The fields of an answer that may reach a tenant: `'scalar'` passes a string, number, boolean or
 * null; an object shape keeps only the fields it names; `[shape]` is an array of that shape.
 * Anything else Genesys sends, now or later, is left out.
 */
export type Shape = 'scalar' | { readonly [field: string]: Shape } | readonly [Shape];

export function project(value: unknown, shape: Shape): unknown {
  if (shape === 'scalar') {
    return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return undefined;
    return value.map((item) => project(item, (shape as readonly [Shape])[0])).filter((item) => item !== undefined);
  }
  if (!isRecord(value)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(shape as Record<string, Shape>)) {
    const projected = project(value[field], inner);
    if (projected !== undefined) kept[field] = projected;
  }
  return kept;
}
