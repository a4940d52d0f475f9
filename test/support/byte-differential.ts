import type { ByteScoper } from '../../src/scoping/bytes/byte-listing.js';
import type { EntityKind } from '../../src/scoping/field-table.js';
import { selectOwn } from '../../src/scoping/filters/entity.js';
import { scopeProjectedListing, type ListingOptions } from '../../src/scoping/filters/listing.js';
import type { ResponseContext, ScopedResponse } from '../../src/scoping/scope.js';

/** The parse-based scoper the byte scoper must equal: what the executor falls back to. */
export function referenceListing(kind: EntityKind, optionsOf: (context: ResponseContext) => ListingOptions) {
  return (body: Buffer, context: ResponseContext): ScopedResponse =>
    scopeProjectedListing(JSON.parse(body.toString('utf8')), context, selectOwn(kind, context), optionsOf(context));
}

/** The reference's answer to a body, or the error it threw. */
export function runReference(
  reference: (body: Buffer, context: ResponseContext) => ScopedResponse,
  body: Buffer,
  context: ResponseContext,
): { expected: ScopedResponse | undefined; referenceError: unknown } {
  try {
    return { expected: reference(body, context), referenceError: undefined };
  } catch (error) {
    return { expected: undefined, referenceError: error };
  }
}

export type Verdict =
  /** The byte scoper left the body to the reference. */
  | { readonly kind: 'undecided'; readonly referenceThrew: boolean }
  | { readonly kind: 'equal'; readonly kept: number; readonly removed: number }
  /** Both threw the same kind of error. */
  | { readonly kind: 'both-threw' }
  | { readonly kind: 'different'; readonly why: string };

/**
 * Runs one body through both scopers. The byte scoper may say nothing (undefined); when it answers,
 * the reference must answer the same JSON (in the same key order) with the same counts; when it
 * throws, the reference must throw the same kind of error.
 */
export function compareWithReference(byteScoper: ByteScoper, reference: (body: Buffer, context: ResponseContext) => ScopedResponse, body: Buffer, context: ResponseContext): Verdict {
  const { expected, referenceError } = runReference(reference, body, context);
  let actual: ReturnType<ByteScoper>;
  try {
    actual = byteScoper(body, context);
  } catch (error) {
    if (referenceError !== undefined && kindOf(error) === kindOf(referenceError)) return { kind: 'both-threw' };
    return { kind: 'different', why: `the byte scoper threw ${kindOf(error)} (${String(error)}); the reference ${referenceError === undefined ? 'answered' : `threw ${kindOf(referenceError)}`}` };
  }
  if (actual === undefined) return { kind: 'undecided', referenceThrew: referenceError !== undefined };
  if (referenceError !== undefined || expected === undefined) return { kind: 'different', why: `the byte scoper answered; the reference threw ${kindOf(referenceError)} (${String(referenceError)})` };
  if (expected.kind !== 'ok') return { kind: 'different', why: `the byte scoper answered; the reference answered ${expected.kind}` };
  let written: string;
  try {
    written = JSON.stringify(JSON.parse(actual.body.toString('utf8')));
  } catch (error) {
    return { kind: 'different', why: `the byte scoper wrote no JSON (${String(error)}): ${actual.body.toString('utf8')}` };
  }
  const wanted = JSON.stringify(expected.body);
  if (written !== wanted) return { kind: 'different', why: `bodies differ\n bytes:     ${written}\n reference: ${wanted}` };
  if (actual.kept !== expected.kept || actual.removed !== expected.removed) {
    return { kind: 'different', why: `counts differ: bytes kept ${actual.kept} removed ${actual.removed}; reference kept ${expected.kept} removed ${expected.removed}` };
  }
  return { kind: 'equal', kept: actual.kept, removed: actual.removed };
}

function kindOf(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}
