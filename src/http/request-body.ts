import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { GatewayError } from '../errors.js';

/** Keys that rewrite an object's prototype when merged or assigned; a query never needs them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Genesys bodies nest a handful of levels; anything far deeper is an attack on the parser. */
const MAX_DEPTH = 32;

/**
 * Reads, parses and validates the body of a route that rewrites it. The proxy forwards what it
 * validated, re-serialised, never the tenant's bytes, so Genesys sees exactly what was checked.
 */
export async function readRequestBody(req: IncomingMessage, schema: z.ZodType, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type === undefined || !/^application\/json\s*(?:;\s*charset=(?:"?utf-8"?)\s*)?$/i.test(type.trim())) {
    throw new GatewayError('unsupported.media.type');
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) throw new GatewayError('payload.too.large');
  const text = await readCapped(req, maxBytes);
  return validate(parseJson(text), schema);
}

async function readCapped(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new GatewayError('payload.too.large');
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    // A client that goes away mid-body (or sends broken chunks) is its own problem, not a proxy
    // failure worth a 500 and an error line; the audit line records it as aborted.
    throw new GatewayError('bad.request', { message: 'The request body ended before it was complete.' });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw invalid('The request body is not valid UTF-8.');
  }
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw invalid('This route needs a JSON request body.');
  let value: unknown;
  try {
    value = JSON.parse(text, (key, item: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
      return item;
    });
  } catch (error) {
    if (error instanceof ForbiddenKeyError) throw invalid(`The key "${error.key}" is not accepted in a request body.`);
    throw invalid('The request body is not valid JSON.');
  }
  if (depthOf(value) > MAX_DEPTH) throw invalid(`The request body nests deeper than ${MAX_DEPTH} levels.`);
  return value;
}

function validate(value: unknown, schema: z.ZodType): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw invalid(`The request body is not valid for this route: ${problems.join('; ')}`.slice(0, 500));
}

function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function invalid(message: string): GatewayError {
  return new GatewayError('body.invalid', { message });
}

class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`forbidden key ${key}`);
  }
}
