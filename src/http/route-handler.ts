import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';
import type { RowExecutor } from '../executor/row-executor.js';
import { StreamedJson } from '../executor/streamed-json.js';
import type { NotificationService } from '../notifications/notification-service.js';
import { answerServedRow } from '../notifications/served-rows.js';
import { parseQuery } from '../scoping/query.js';
import { readRequestBody } from './request-body.js';
import { routedStateOf } from './request-state.js';
import { sendJson, sendStatus, sendStreamedJson } from './send.js';

export interface RouteHandlerOptions {
  readonly execute: RowExecutor;
  /** MAX_REQUEST_BODY_BYTES: bodies of rows that rewrite them are read up to this size. */
  readonly maxRequestBodyBytes: number;
  /** Answers the rows the proxy serves itself (notification channels). */
  readonly notifications: NotificationService;
}

/** The HTTP side of a policy row: parse the query and body, let the executor run it, render. */
export function routeHandler(options: RouteHandlerOptions): RequestHandler {
  return async function routeHandlerMiddleware(req, res) {
    const state = routedStateOf(res);
    const { route, params } = state.match;
    const rule = route.rule;
    if (!rule.body && hasBody(req.headers)) throw new GatewayError('bad.request', { message: 'This route takes no request body.' });
    const query = parseQuery(state.rawQuery ?? '', route.query);
    const body = rule.body ? await readRequestBody(req, rule.body.schema, options.maxRequestBodyBytes) : undefined;
    if (rule.response.kind === 'served') {
      const answer = await answerServedRow(options.notifications, { method: rule.method, route: rule.path, params, query, body, tenant: state.tenant, key: state.key!, scope: state.scope, correlationId: state.correlationId, req });
      state.entitiesReturned = 0;
      state.entitiesRemoved = 0;
      if (answer.body === undefined) sendStatus(res, answer.status, state.correlationId);
      else sendJson(res, answer.status, answer.body, state.correlationId);
      return;
    }
    const genesysClient = state.tenant.genesysClient;
    const answer = await options.execute(
      { scope: state.scope, rule, params, path: state.path, query, body, correlationId: state.correlationId, ...(genesysClient ? { genesysClient } : {}) },
      state,
    );
    state.entitiesReturned = answer.kept;
    state.entitiesRemoved = answer.removed;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (answer.body instanceof StreamedJson) {
      const { tally } = answer.body;
      // Kept current as it goes: the audit line is written whenever the answer ends, finished or cut.
      await sendStreamedJson(res, answer.status, answer.body, state.correlationId, () => {
        state.entitiesReturned = tally.kept;
        state.entitiesRemoved = tally.removed;
      });
    } else if (answer.body === undefined) sendStatus(res, answer.status, state.correlationId);
    else sendJson(res, answer.status, answer.body, state.correlationId, rule.response.kind === 'scoped' && rule.response.stream ? 'chunked' : 'length');
  };
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
