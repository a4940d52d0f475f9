import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import { narrowScope, NARROWING_HEADER } from '../../scoping/narrowing.js';
import { stateOf } from '../request-state.js';

/**
 * The name integrators try first: answers about scoping a Genesys token by division tell them to
 * send it, and Genesys has no such header. Here it is X-Division-Id under another name, with the
 * same checks.
 */
export const NARROWING_HEADER_ALIAS = 'x-genesys-auth-division-id';

/** `X-Division-Id: a,b` narrows the request to some of the tenant's own divisions before the row runs. */
export function divisionNarrowing(): RequestHandler {
  return function divisionNarrowingMiddleware(req, res, next) {
    const state = stateOf(res);
    if (!state.scope) throw new Error('division narrowing runs after authentication');
    const header = req.headers[NARROWING_HEADER];
    const alias = req.headers[NARROWING_HEADER_ALIAS];
    if (header !== undefined && alias !== undefined) {
      throw new GatewayError('bad.request', { message: 'Send X-Division-Id or X-Genesys-Auth-Division-Id, not both.' });
    }
    state.scope = narrowScope(state.scope, header ?? alias);
    next();
  };
}
