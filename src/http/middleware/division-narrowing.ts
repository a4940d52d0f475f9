import type { RequestHandler } from 'express';
import { narrowScope, NARROWING_HEADER } from '../../scoping/narrowing.js';
import { stateOf } from '../request-state.js';

/** `X-Division-Id: a,b` narrows the request to some of the tenant's own divisions before the row runs. */
export function divisionNarrowing(): RequestHandler {
  return function divisionNarrowingMiddleware(req, res, next) {
    const state = stateOf(res);
    if (!state.scope) throw new Error('division narrowing runs after authentication');
    state.scope = narrowScope(state.scope, req.headers[NARROWING_HEADER]);
    next();
  };
}
