import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import type { Policy } from '../../scoping/policy.js';
import { stateOf } from '../request-state.js';

/** Deny by default: a method and path not in the policy table never reach Genesys. */
export function routePolicy(policy: Policy): RequestHandler {
  return function routePolicyMiddleware(req, res, next) {
    const state = stateOf(res);
    const match = policy.match(req.method, state.path ?? '');
    if (!match) {
      throw new GatewayError('route.not.allowed', { audit: 'route not in the policy table' });
    }
    state.match = match;
    if (match.route.rule.access === 'write' && state.tenant?.access !== 'read-write') {
      throw new GatewayError('not.authorized', { message: 'This tenant has read-only access.', audit: 'write by a read-only tenant' });
    }
    next();
  };
}
