import { GatewayError } from '../errors.js';
import type { Directories } from '../genesys/directories.js';
import { assertUpstreamJson, parseSharedUpstreamJson, parseUpstreamJson } from '../genesys/json-response.js';
import { isStreamed, type GenesysSender, type StreamedResponse, type UpstreamResponse } from '../genesys/upstream-client.js';
import type { ByteScoped, ByteScoper } from '../scoping/bytes/byte-listing.js';
import { StreamNotScopable, type ListingStream, type ListingStreamFactory } from '../scoping/bytes/listing-stream.js';
import { emptyListing } from '../scoping/filters/listing.js';
import type { QueryValues } from '../scoping/query.js';
import { forward, type RequestInput, type ResponsePlan, type RouteRule } from '../scoping/route-rule.js';
import type { RowServices } from '../scoping/row-strategy.js';
import type { ResponseContext, ScopedResponse, TenantScope } from '../scoping/scope.js';
import { UnexpectedShapeError } from '../scoping/scope.js';
import type { JobRegistry } from '../state/jobs/job-registry.js';
import type { TenantClient } from '../tenants/tenant.js';
import { checkOwnership, OUTSIDE_DIVISIONS, type OwnershipSources } from './ownership.js';
import { applyEffect } from './route-effects.js';
import { createRowServices } from './row-services.js';
import { loadFacts } from './scope-facts.js';
import { callAll, callGenesysStreamable, type RowMeter } from './upstream-calls.js';
import { SerializedJson } from './serialized-json.js';
import { StreamedJson } from './streamed-json.js';
import { upstreamPort } from './upstream-port.js';

export interface RowExecutorDeps {
  /** The proxy's own client: tenants without one of their own. */
  readonly client: GenesysSender;
  /** A tenant's own client (its token sees only its divisions). */
  readonly senderFor?: (client: TenantClient) => GenesysSender;
  readonly directories: Directories;
  readonly jobs: JobRegistry;
  /** State the rows' own strategies keep (the details lists); one set per proxy. */
  readonly services?: RowServices;
  /**
   * SCOPE_ON_BYTES (default true): rows that can scope Genesys's bytes do (and stream large
   * answers); false sends every answer through the parse-based reference scoper.
   */
  readonly scopeOnBytes?: boolean;
  /**
   * Tests only, never from settings or the network: these tenants' answers are not scoped by
   * division, so a test can show what Genesys itself lets through with the tenant's own client.
   */
  readonly unscopedTenants?: ReadonlySet<string>;
}

/** One tenant request, parsed and checked by whoever received it. */
export interface RowRequest {
  readonly scope: TenantScope;
  readonly rule: RouteRule;
  readonly params: Readonly<Record<string, string>>;
  /** Canonical path the tenant called. */
  readonly path: string;
  /** The tenant's query, validated against the row's allowlist. */
  readonly query: QueryValues;
  /** The validated body, for rows with a `body` rule. */
  readonly body?: unknown;
  readonly correlationId: string;
  /** The tenant's own Genesys client, when its file names one: every call goes out with its token. */
  readonly genesysClient?: TenantClient;
}

/** The answer to render. `body` undefined: status only. */
export interface RowAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A value to serialise, a SerializedJson to send as it is, or a StreamedJson to send as it comes. */
  readonly body: unknown;
  /** Entities the tenant sees, and those scoping removed, for the audit line (a StreamedJson keeps its own tally). */
  readonly kept: number;
  readonly removed: number;
}

export type RowExecutor = (request: RowRequest, meter: RowMeter) => Promise<RowAnswer>;

/**
 * Runs policy rows: ownership checks, facts, the row's plan, calls to Genesys, scoping, effects.
 * Knows no web framework: it answers or throws a GatewayError (whose `audit` says why a refusal).
 */
export function createRowExecutor(deps: RowExecutorDeps): RowExecutor {
  const sources: OwnershipSources = { directories: deps.directories, jobs: deps.jobs };
  const services = deps.services ?? createRowServices({});
  const onBytes = deps.scopeOnBytes !== false;
  return async function executeRow(request, meter) {
    const { rule, params, query, correlationId } = request;
    if (rule.response.kind === 'served') throw new Error('a row the proxy serves itself reached the row executor');
    const client = senderOf(request, deps);
    await checkOwnership(rule.owns, params, request.scope, sources, correlationId);
    const facts = await loadFacts(rule.needs, deps.directories, correlationId);
    const scope = deps.unscopedTenants?.has(request.scope.tenantId) ? { ...request.scope, divisions: EVERY_DIVISION } : request.scope;
    const input: RequestInput = { scope, query, params, facts };
    // A read that creates state upstream (a job) is never answered by another tenant's identical call.
    const read = rule.access === 'read' && rule.shareable !== false;
    if (rule.execute) {
      const port = upstreamPort(client, meter, correlationId, read, scope.tenantId);
      const scoped = await withShapeCheck(() => rule.execute!({ ...input, path: request.path, body: request.body }, port, services));
      return answer(200, scoped);
    }
    const plan = rule.body ? rule.body.rewrite(request.body, input) : rule.request ? rule.request(input) : forward(query);
    const context: ResponseContext = { ...input, path: request.path };
    if (plan.kind === 'empty') {
      const body = rule.response.kind === 'scoped' && rule.response.empty ? rule.response.empty(context) : emptyListing(context);
      return { status: 200, headers: {}, body, kept: 0, removed: 0 };
    }
    const calls = plan.calls.map((call) => ({ ...call, method: rule.method, path: call.path ?? request.path, read, tenantId: scope.tenantId }));
    if (rule.response.kind === 'own') throw new Error('a policy row answers with its own strategy but declares no execute');
    // Only a row that can scope an answer as it arrives asks for one; the others read it whole.
    const stream = onBytes && rule.response.kind === 'scoped' && calls.length === 1 && !rule.effect ? rule.response.stream : undefined;
    let responses: UpstreamResponse[];
    if (stream) {
      const response = await callGenesysStreamable(client, meter, correlationId, calls[0]!);
      if (isStreamed(response)) {
        meter.scopedBy = 'stream';
        return streamedAnswer(response, stream, context, meter);
      }
      responses = [response];
    } else {
      responses = await callAll(client, meter, correlationId, calls);
    }
    const status = responses[0]!.status;
    if (rule.response.kind === 'no-content') {
      await applyEffect(rule.effect, undefined, params, request.scope, sources);
      return { status, headers: {}, body: undefined, kept: 0, removed: 0 };
    }
    const byteScoper = onBytes && responses.length === 1 && !rule.effect ? rule.response.bytes : undefined;
    const bytes = byteScoper ? scopeBytes(byteScoper, responses[0]!, context) : undefined;
    if (rule.response.bytes) meter.scopedBy = bytes ? 'bytes' : 'parsed';
    if (bytes) return { status, headers: {}, body: new SerializedJson(bytes.body), kept: bytes.kept, removed: bytes.removed };
    const bodies = responses.map((response) => (response.shared ? parseSharedUpstreamJson : parseUpstreamJson)(response.body, response.headers['content-type']));
    const { merged, scoped } = runScoper(rule.response, bodies, context);
    await applyEffect(rule.effect, merged, params, request.scope, sources);
    return answer(status, scoped);
  };
}

/**
 * The byte path: the upstream bytes scoped without parsing them, or undefined when the byte scoper
 * cannot vouch for its result and the reference scoper answers instead.
 */
function scopeBytes(scoper: ByteScoper, response: UpstreamResponse, context: ResponseContext): ByteScoped | undefined {
  assertUpstreamJson(response.headers['content-type']);
  return withShapeCheckSync(() => scoper(response.body, context));
}

/**
 * The streamed path: the upstream answer scoped chunk by chunk. What fails before this returns
 * (not JSON, the first bytes not a listing) is the usual 502; what fails later fails `rest`.
 */
function streamedAnswer(response: StreamedResponse, open: ListingStreamFactory, context: ResponseContext, meter: RowMeter): RowAnswer {
  try {
    assertUpstreamJson(response.headers['content-type']);
    const listing = open(context);
    const head = response.head.length > 0 ? withShapeCheckSync(() => listing.push(response.head)) : undefined;
    const body = new StreamedJson(head ?? Buffer.alloc(0), scopedRest(response, listing, meter), response.cancel, listing);
    return { status: response.status, headers: {}, body, kept: 0, removed: 0 };
  } catch (error) {
    response.cancel();
    throw error;
  }
}

async function* scopedRest(response: StreamedResponse, listing: ListingStream, meter: RowMeter): AsyncGenerator<Buffer> {
  const chunks = response.rest[Symbol.asyncIterator]();
  let upstreamDone = false;
  try {
    for (;;) {
      const waitedFrom = performance.now();
      let step: IteratorResult<Buffer>;
      try {
        step = await chunks.next();
      } finally {
        meter.upstreamMs += performance.now() - waitedFrom;
      }
      if (step.done) break;
      const scoped = withShapeCheckSync(() => listing.push(step.value));
      if (scoped !== undefined && scoped.length > 0) yield scoped;
    }
    upstreamDone = true;
    yield withShapeCheckSync(() => listing.end()) ?? Buffer.alloc(0);
  } finally {
    if (!upstreamDone) {
      response.cancel();
      await chunks.return?.(undefined);
    }
  }
}

function senderOf(request: RowRequest, deps: RowExecutorDeps): GenesysSender {
  if (!request.genesysClient) return deps.client;
  // Fail closed: a tenant with its own client never falls back to the proxy's wider one.
  if (!deps.senderFor) throw new Error('a tenant names its own Genesys client but the executor has no tenant clients');
  return deps.senderFor(request.genesysClient);
}

/** Says yes to every division: what response scoping sees for a tenant a test has unscoped. */
class EveryDivision extends Set<string> {
  override has(): boolean {
    return true;
  }
}
const EVERY_DIVISION: ReadonlySet<string> = new EveryDivision();

function answer(status: number, scoped: ScopedResponse): RowAnswer {
  if (scoped.kind === 'not-found') throw new GatewayError('not.found', { audit: OUTSIDE_DIVISIONS });
  return { status, headers: {}, body: scoped.body, kept: scoped.kept, removed: scoped.removed };
}

function runScoper(plan: Extract<ResponsePlan, { kind: 'scoped' }>, bodies: readonly unknown[], context: ResponseContext): { merged: unknown; scoped: ScopedResponse } {
  if (bodies.length > 1 && !plan.merge) throw new Error('a policy row planned several calls but cannot merge their answers');
  let merged: unknown;
  const scoped = withShapeCheckSync(() => {
    merged = bodies.length === 1 ? bodies[0] : plan.merge!(bodies);
    return plan.scope(merged, context);
  });
  return { merged, scoped };
}

/** A scoper that finds a shape it does not know fails the request closed: 502, never a pass-through. */
function shapeError(error: unknown): unknown {
  if (!(error instanceof UnexpectedShapeError) && !(error instanceof StreamNotScopable)) return error;
  return new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a response the proxy could not scope.', cause: error });
}

function withShapeCheckSync<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw shapeError(error);
  }
}

async function withShapeCheck<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw shapeError(error);
  }
}
