import type { RequestHandler } from 'express';
import { GatewayError, isGatewayError } from '../errors.js';
import type { GenesysClient } from '../genesys/upstream-client.js';
import type { NotificationService } from '../notifications/notification-service.js';
import { answerServedRow } from '../notifications/served-rows.js';
import { parseSharedUpstreamJson, parseUpstreamJson } from '../genesys/json-response.js';
import { emptyListing } from '../scoping/filters/listing.js';
import { parseQuery } from '../scoping/query.js';
import { forward, type RequestInput, type ResponsePlan } from '../scoping/route-rule.js';
import type { ResponseContext, ScopedResponse } from '../scoping/scope.js';
import { UnexpectedShapeError } from '../scoping/scope.js';
import { checkOwnership, type Directories } from './ownership.js';
import { readRequestBody } from './request-body.js';
import { routedStateOf, type RequestState } from './request-state.js';
import { applyEffect } from './route-effects.js';
import { loadFacts } from './scope-facts.js';
import { sendJson, sendStatus } from './send.js';
import type { StreamProxy } from './stream-proxy.js';
import { callUpstream, pathAndQueryOf } from './upstream-calls.js';

export interface RouteHandlerOptions {
  readonly client: GenesysClient;
  readonly directories: Directories;
  readonly streamProxy: StreamProxy;
  /** MAX_REQUEST_BODY_BYTES: bodies of rows that rewrite them are read up to this size. */
  readonly maxRequestBodyBytes: number;
  /** Answers the rows the proxy serves itself (notification channels). */
  readonly notifications: NotificationService;
}

/** Runs the matched policy row: checks, upstream call, scoping. The row decides; this only executes. */
export function routeHandler(options: RouteHandlerOptions): RequestHandler {
  return async function routeHandlerMiddleware(req, res, next) {
    const state = routedStateOf(res);
    const { route, params } = state.match;
    const rule = route.rule;
    if (!rule.body && hasBody(req.headers)) throw new GatewayError('bad.request', { message: 'This route takes no request body.' });
    const query = parseQuery(state.rawQuery ?? '', route.query);
    const body = rule.body ? await readRequestBody(req, rule.body.schema, options.maxRequestBodyBytes) : undefined;
    if (rule.response.kind === 'served') {
      const answer = await answerServedRow(options.notifications, { method: rule.method, route: rule.path, params, query, body, tenant: state.tenant, key: state.key!, scope: state.scope, correlationId: state.correlationId, req });
      recordScoping(state, 0, 0);
      if (answer.body === undefined) sendStatus(res, answer.status, state.correlationId);
      else sendJson(res, answer.status, answer.body, state.correlationId);
      return;
    }
    await checkOwnership(rule.owns, params, state.scope, options.directories, state.correlationId).catch((error: unknown) => {
      if (isGatewayError(error) && error.code === 'not.found') state.denial = 'entity outside the tenant’s divisions';
      throw error;
    });
    const facts = await loadFacts(rule.needs, options.directories, state.correlationId);
    const input: RequestInput = { scope: state.scope, query, params, facts };
    const plan = rule.body ? rule.body.rewrite(body, input) : rule.request ? rule.request(input) : forward(query);
    const context: ResponseContext = { ...input, path: state.path };
    if (plan.kind === 'empty') {
      const scoped = rule.response.kind === 'scoped' && rule.response.empty ? rule.response.empty(context) : emptyListing(context);
      recordScoping(state, 0, 0);
      sendJson(res, 200, scoped, state.correlationId);
      return;
    }
    if (rule.response.kind === 'stream') {
      // Streamed rows carry no body and make exactly one call.
      await options.streamProxy.forward(req, res, next, pathAndQueryOf(plan.calls[0]!, state.path));
      return;
    }
    const responses = await callUpstream(options.client, state, rule.method, plan.calls, rule.access === 'read');
    const status = responses[0]!.status;
    if (rule.response.kind === 'no-content') {
      await applyEffect(rule.effect, undefined, params, state.scope, options.directories);
      recordScoping(state, 0, 0);
      sendStatus(res, status, state.correlationId);
      return;
    }
    const bodies = responses.map((response) => (response.shared ? parseSharedUpstreamJson : parseUpstreamJson)(response.body, response.headers['content-type']));
    const { merged, scoped } = runScoper(rule.response, bodies, context);
    await applyEffect(rule.effect, merged, params, state.scope, options.directories);
    if (scoped.kind === 'not-found') {
      state.denial = 'entity outside the tenant’s divisions';
      throw new GatewayError('not.found');
    }
    recordScoping(state, scoped.kept, scoped.removed);
    sendJson(res, status, scoped.body, state.correlationId);
  };
}

function recordScoping(state: RequestState, kept: number, removed: number): void {
  state.entitiesReturned = kept;
  state.entitiesRemoved = removed;
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function runScoper(plan: Extract<ResponsePlan, { kind: 'scoped' }>, bodies: readonly unknown[], context: ResponseContext): { merged: unknown; scoped: ScopedResponse } {
  try {
    if (bodies.length > 1 && !plan.merge) throw new Error('a policy row planned several calls but cannot merge their answers');
    const merged = bodies.length === 1 ? bodies[0] : plan.merge!(bodies);
    return { merged, scoped: plan.scope(merged, context) };
  } catch (error) {
    if (error instanceof UnexpectedShapeError) {
      throw new GatewayError('upstream.bad.response', {
        message: 'Genesys Cloud returned a response the proxy could not scope.',
        cause: error,
      });
    }
    throw error;
  }
}
