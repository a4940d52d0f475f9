import { MAX_STREAMED_VALUE_BYTES, StreamNotScopable, type ListingStreamFactory } from '../../src/scoping/bytes/listing-stream.js';
import { runReference } from './byte-differential.js';
import type { EntityKind } from '../../src/scoping/field-table.js';
import { selectOwn } from '../../src/scoping/filters/entity.js';
import type { ResponseContext, ScopedResponse } from '../../src/scoping/scope.js';

/** Looked up once: inside the test runner's VM context every lookup of a global is slow. */
const floor = Math.floor;

/**
 * The streamed listing scoper against the parse-based reference: fed a body in chunks, it either
 * writes exactly the reference's answer, or refuses (`StreamNotScopable`) where the reference
 * throws or where streaming is documented to give up. Whatever it wrote before refusing must not
 * be a JSON document, and must hold only entities the tenant may see.
 */

export type StreamVerdict =
  | { readonly kind: 'equal'; readonly kept: number; readonly removed: number }
  /** The stream refused; `because` is the reference's error or the documented reason. */
  | { readonly kind: 'refused'; readonly because: string }
  | { readonly kind: 'different'; readonly why: string };

export interface StreamRun {
  /** Everything the stream wrote, in order. */
  readonly written: Buffer;
  readonly error?: unknown;
  readonly kept: number;
  readonly removed: number;
}

/** Feeds `chunks` to a fresh stream and collects what it writes, up to its end or its error. */
export function runStream(factory: ListingStreamFactory, context: ResponseContext, chunks: readonly Buffer[]): StreamRun {
  const stream = factory(context);
  const out: Buffer[] = [];
  try {
    for (const chunk of chunks) {
      const now = stream.push(chunk);
      if (now) out.push(Buffer.from(now));
    }
    out.push(Buffer.from(stream.end()));
  } catch (error) {
    return { written: Buffer.concat(out), error, kept: stream.kept, removed: stream.removed };
  }
  return { written: Buffer.concat(out), kept: stream.kept, removed: stream.removed };
}

export function compareStreamWithReference(
  factory: ListingStreamFactory,
  kind: EntityKind,
  reference: (body: Buffer, context: ResponseContext) => ScopedResponse,
  body: Buffer,
  context: ResponseContext,
  chunks: readonly Buffer[],
): StreamVerdict {
  if (Buffer.concat(chunks).compare(body) !== 0) throw new Error('the chunks are not the body');
  const { expected, referenceError } = runReference(reference, body, context);
  const run = runStream(factory, context, chunks);
  if (run.error !== undefined) return judgeRefusal(run, kind, body, context, expected, referenceError);
  if (referenceError !== undefined || expected === undefined) return { kind: 'different', why: `the stream answered; the reference threw ${kindOf(referenceError)} (${String(referenceError)})` };
  if (expected.kind !== 'ok') return { kind: 'different', why: `the stream answered; the reference answered ${expected.kind}` };
  let written: string;
  try {
    written = JSON.stringify(JSON.parse(run.written.toString('utf8')));
  } catch (error) {
    return { kind: 'different', why: `the stream wrote no JSON (${String(error)}): ${run.written.toString('utf8')}` };
  }
  const wanted = JSON.stringify(expected.body);
  if (written !== wanted) return { kind: 'different', why: `bodies differ\n stream:    ${written}\n reference: ${wanted}` };
  if (run.kept !== expected.kept || run.removed !== expected.removed) {
    return { kind: 'different', why: `counts differ: stream kept ${run.kept} removed ${run.removed}; reference kept ${expected.kept} removed ${expected.removed}` };
  }
  return { kind: 'equal', kept: run.kept, removed: run.removed };
}

function judgeRefusal(run: StreamRun, kind: EntityKind, body: Buffer, context: ResponseContext, expected: ScopedResponse | undefined, referenceError: unknown): StreamVerdict {
  let because: string | undefined;
  if (run.error instanceof StreamNotScopable) because = referenceError !== undefined ? `the reference threw ${kindOf(referenceError)}` : documentedRefusal(body);
  // An error of the reference's own (a rule that throws on an entity) may reach the caller as is.
  else if (referenceError !== undefined && kindOf(run.error) === kindOf(referenceError)) because = `both threw ${kindOf(referenceError)}`;
  if (because === undefined) {
    return { kind: 'different', why: `the stream threw ${kindOf(run.error)} (${String(run.error)}); the reference answered and nothing documented explains it` };
  }
  const text = run.written.toString('utf8');
  if (isJson(text)) return { kind: 'different', why: `the stream failed after writing a whole JSON document: ${text}` };
  // Refused at a second `entities` (plain or escaped), the reference shows the last array: the
  // first, partly sent, is no prefix of it, but still holds only entities the tenant may see.
  const leak = foreignWritten(run.written, body, kind, context, because === OVER_LIMIT ? expected : undefined);
  if (leak !== undefined) return { kind: 'different', why: `before failing, the stream wrote ${leak}` };
  return { kind: 'refused', because };
}

/**
 * What the stream wrote before failing holds only entities the reference keeps: the first of its
 * kept entities, in order, when it answers; otherwise (the body is broken further on) what the
 * reference makes of one of the body's entities, each read alone.
 */
function foreignWritten(written: Buffer, body: Buffer, kind: EntityKind, context: ResponseContext, expected: ScopedResponse | undefined): string | undefined {
  if (written.length === 0) return undefined;
  const text = written.toString('utf8');
  let entities: unknown;
  try {
    entities = (JSON.parse(`${text}]}`) as { entities: unknown }).entities;
  } catch {
    return `bytes that are not whole entities: ${text}`;
  }
  if (!text.startsWith('{"entities":[') || !Array.isArray(entities)) return `something else than the start of a listing: ${text}`;
  if (expected?.kind === 'ok') {
    const kept = (expected.body as { entities: unknown[] }).entities;
    for (const [i, entity] of entities.entries()) {
      if (JSON.stringify(kept[i]) !== JSON.stringify(entity)) return `entity ${i} ${JSON.stringify(entity)}, where the reference writes ${JSON.stringify(kept[i])}`;
    }
    return undefined;
  }
  const own = selectOwn(kind, context);
  const shown = new Set(entitiesIn(body).map((entity) => JSON.stringify(own(entity))));
  for (const [i, entity] of entities.entries()) if (!shown.has(JSON.stringify(entity))) return `entity ${i} ${JSON.stringify(entity)}, which the reference shows of no entity of the body`;
  return undefined;
}

/** Every value of a top-level array of the body that parses alone (the body itself need not). */
function entitiesIn(body: Buffer): unknown[] {
  const found: unknown[] = [];
  const open: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === 0x22) {
      for (i++; i < body.length && body[i] !== 0x22; i++) if (body[i] === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) open.push(i);
    else if (c === 0x7d || c === 0x5d) {
      const start = open.pop();
      // An object directly inside an array directly inside the top-level object.
      if (start !== undefined && c === 0x7d && open.length === 2 && body[open[1]!] === 0x5b) {
        try {
          found.push(JSON.parse(body.toString('utf8', start, i + 1)));
        } catch {
          // Not an entity the reference could read.
        }
      }
    }
  }
  return found;
}

const OVER_LIMIT = 'a value over the streamed limit';

/**
 * Why streaming may give up on a body the reference reads: an escaped top-level key (it is
 * compared as bytes), a second top-level `entities` (JSON.parse keeps the last, whose forerunner
 * would be sent already), or a top-level value too large to hold.
 */
export function documentedRefusal(body: Buffer): string | undefined {
  const keys = topLevelKeys(body);
  if (keys.some((key) => key.raw.includes('\\'))) return 'an escaped top-level key';
  if (keys.filter((key) => key.raw === 'entities').length > 1) return 'a second entities';
  if (keys.some((key) => key.valueBytes > MAX_STREAMED_VALUE_BYTES)) return OVER_LIMIT;
  return undefined;
}

/** The top-level keys of an object as written, and the size of each value (a rough scan: it takes the body for JSON). */
function topLevelKeys(body: Buffer): { raw: string; valueBytes: number }[] {
  const keys: { raw: string; valueBytes: number }[] = [];
  let depth = 0;
  let expectKey = false;
  let valueStart = -1;
  const closeValue = (at: number) => {
    if (valueStart !== -1 && keys.length > 0) keys[keys.length - 1]!.valueBytes = at - valueStart;
    valueStart = -1;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === 0x22) {
      const start = i + 1;
      for (i = start; i < body.length && body[i] !== 0x22; i++) if (body[i] === 0x5c) i++;
      if (depth === 1 && expectKey) keys.push({ raw: body.toString('utf8', start, i), valueBytes: 0 });
      expectKey = false;
    } else if (c === 0x7b || c === 0x5b) {
      expectKey = depth === 0 && c === 0x7b;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) closeValue(i);
    } else if (depth === 1 && c === 0x3a) valueStart = i + 1;
    else if (depth === 1 && c === 0x2c) {
      closeValue(i);
      expectKey = true;
    }
  }
  return keys;
}

/**
 * A body cut in chunks, each cut drawn by `next`: one chunk, every byte alone, random sizes, or
 * cuts where a scanner keeps state across chunks (inside a multi-byte character, just after a
 * backslash or within a `\u` escape, inside a string, between a key's closing quote and its colon).
 */
export function chunksOf(body: Buffer, next: () => number): Buffer[] {
  const roll = next();
  let cuts: number[];
  if (roll < 0.1 || body.length < 2) cuts = [];
  else if (roll < 0.2) cuts = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
  else if (roll < 0.5) {
    cuts = [];
    const largest = 1 + floor(next() * Math.min(body.length, next() < 0.5 ? 16 : body.length));
    for (let at = 1 + floor(next() * largest); at < body.length; at += 1 + floor(next() * largest)) cuts.push(at);
  } else {
    const tricky = trickyCuts(body);
    const count = 1 + floor(next() * 12);
    const chosen = new Set<number>();
    for (let k = 0; k < count; k++) chosen.add(tricky.length > 0 && next() < 0.85 ? tricky[floor(next() * tricky.length)]! : 1 + floor(next() * (body.length - 1)));
    cuts = [...chosen].filter((at) => at > 0 && at < body.length).sort((a, b) => a - b);
  }
  const chunks: Buffer[] = [];
  let from = 0;
  for (const at of cuts) {
    chunks.push(body.subarray(from, at));
    from = at;
  }
  chunks.push(body.subarray(from));
  return chunks;
}

/** Offsets at which cutting splits a multi-byte character, an escape, a string or a key from its colon. */
export function trickyCuts(body: Buffer): number[] {
  const cuts: number[] = [];
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c >= 0x80 && c < 0xc0) cuts.push(i);
    if (inString) {
      if (c === 0x5c) {
        cuts.push(i + 1, i + 2, i + 3);
        i++;
      } else if (c === 0x22) {
        inString = false;
        cuts.push(i, i + 1);
      } else if (i % 7 === 0) {
        // A few cuts inside plain string text, not all of them.
        cuts.push(i);
      }
    } else if (c === 0x22) {
      inString = true;
      cuts.push(i + 1);
    }
  }
  return cuts;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function kindOf(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}
