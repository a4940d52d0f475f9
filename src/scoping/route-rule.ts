import type { ByteScoper } from './bytes/byte-listing.js';
import type { ListingStreamFactory } from './bytes/listing-stream.js';
import type { z } from 'zod';
import type { QuerySpec, QueryValues } from './query.js';
import type { RowStrategy } from './row-strategy.js';
import type { ResponseContext, ResponseScoper, ScopeFacts, TenantScope } from './scope.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Kinds of object a path id can name; each has a directory (or registry) that knows its owner. */
export type OwnedKind = 'queue' | 'user' | 'division' | 'job';

/** A path id that must belong to the tenant before anything goes upstream (404 otherwise). */
export interface OwnershipCheck {
  readonly param: string;
  readonly kind: OwnedKind;
  /**
   * Ask Genesys now instead of trusting the directory: for writes, where a queue moved out of the
   * tenant's divisions since the last refresh must not be changed.
   */
  readonly fresh?: boolean;
}

/** The org-wide directories a row reads while scoping. */
export type DirectoryName = keyof ScopeFacts;

/** Everything a request scoper may base its plan on. */
export interface RequestInput {
  readonly scope: TenantScope;
  readonly query: QueryValues;
  readonly params: Readonly<Record<string, string>>;
  readonly facts: ScopeFacts;
}

/** One call to Genesys. `path` defaults to the path the tenant called. */
export interface UpstreamCall {
  readonly path?: string;
  readonly query: QueryValues;
  /** Serialised by the proxy; never the tenant's bytes. */
  readonly body?: unknown;
}

export type RequestPlan =
  /** Several calls only where the row's response plan can merge their answers. */
  | { readonly kind: 'forward'; readonly calls: readonly UpstreamCall[] }
  /** Nothing the tenant may see can match: answered without Genesys. */
  | { readonly kind: 'empty' };

export type RequestScoper = (input: RequestInput) => RequestPlan;

/** A JSON request body: validated with `schema`, then rewritten into the upstream calls. */
export interface BodyRule {
  readonly schema: z.ZodType;
  readonly rewrite: (body: unknown, input: RequestInput) => RequestPlan;
}

/** Binds a schema to its rewrite so that the rewrite only ever sees what the schema accepted. */
export function jsonBody<T>(schema: z.ZodType<T>, rewrite: (body: T, input: RequestInput) => RequestPlan): BodyRule {
  return { schema, rewrite: (body, input) => rewrite(body as T, input) };
}

export type ResponsePlan =
  /** The body is parsed and scoped by a pure function before the tenant sees any of it. */
  | {
      readonly kind: 'scoped';
      readonly scope: ResponseScoper;
      /** Joins the answers of a plan with several calls into one body, before scoping. */
      readonly merge?: (bodies: readonly unknown[]) => unknown;
      /** The answer to an `empty` plan; an empty listing by default. */
      readonly empty?: (context: ResponseContext) => unknown;
      /**
       * The same scoping on the upstream bytes, copying what it keeps; `scope` stays the reference
       * and answers whenever this one cannot vouch for its result. Single-call rows without an effect.
       */
      readonly bytes?: ByteScoper;
      /** The same scoping as the answer arrives, for answers too large to hold (see STREAM_THRESHOLD_BYTES). */
      readonly stream?: ListingStreamFactory;
    }
  /** Only the status goes back; whatever body Genesys sent stays behind. */
  | { readonly kind: 'no-content' }
  /** The row's own `execute` strategy makes the calls and scopes the answer. */
  | { readonly kind: 'own' }
  /** Answered by the proxy's own notification service: nothing of the request goes to Genesys. */
  | { readonly kind: 'served' };

/** What a successful call changes in the proxy's own state, before the tenant sees the answer. */
export type RouteEffect =
  /** The answer's `jobId` is bound to the tenant, so no other tenant can read the job. */
  | { readonly kind: 'bind-job' }
  /** The answer is a queue: the queue directory learns its (new) division. */
  | { readonly kind: 'queue-saved' }
  /** The queue named by the path parameter is gone. */
  | { readonly kind: 'queue-deleted'; readonly param: string };

/** One row of the policy table. Read the table top to bottom: the first matching row decides. */
export interface RouteRule {
  readonly method: HttpMethod;
  /** Genesys path, unchanged; `{name}` is a UUID, `{name:token}` an opaque id. */
  readonly path: string;
  readonly access: 'read' | 'write';
  /**
   * `false` for a read that creates state upstream (an analytics job): its call is never shared
   * with an identical call in flight nor answered from the read cache, so what it creates is only
   * ever the calling tenant's. Reads are shared by default; writes never are.
   */
  readonly shareable?: false;
  readonly query: QuerySpec;
  readonly owns?: readonly OwnershipCheck[];
  /** Directories loaded before the scopers run; they must not be read otherwise. */
  readonly needs?: readonly DirectoryName[];
  /** Default: one call, the validated query as it is. Not used when the row has a body. */
  readonly request?: RequestScoper;
  /** Rows without one refuse any request body. */
  readonly body?: BodyRule;
  readonly response: ResponsePlan;
  /**
   * The row's own strategy, run instead of `request` → calls → merge → `response.scope` (the
   * default). `response` then only documents the answer; `body` still validates the request body.
   */
  readonly execute?: RowStrategy;
  readonly effect?: RouteEffect;
  /** For the README table. */
  readonly summary: { readonly request: string; readonly response: string };
}

/** A JSON body for a row with its own strategy: validated here, rewritten by the strategy. */
export function validatedJsonBody<T>(schema: z.ZodType<T>): BodyRule {
  return {
    schema,
    rewrite: () => {
      throw new Error('a row with its own strategy has no separate rewrite');
    },
  };
}

/** One call with this query: the plan of most rows. */
export function forward(query: QueryValues, body?: unknown, path?: string): RequestPlan {
  return { kind: 'forward', calls: [{ query, ...(body !== undefined ? { body } : {}), ...(path !== undefined ? { path } : {}) }] };
}
