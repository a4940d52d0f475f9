import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { API_KEY_PREFIX } from '../../tenants/api-key.js';
import { initState } from '../request-state.js';

/** No dots (a JWT has two) and not our key prefix: a credential sent as an id must not be logged. */
const TRUSTED_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** Adopts the caller's `inin-correlation-id` only if it is a plain token; otherwise makes one. */
export function correlation(): RequestHandler {
  return function correlationMiddleware(req, res, next) {
    const inbound = req.headers['inin-correlation-id'];
    const id = typeof inbound === 'string' && TRUSTED_ID.test(inbound) && !inbound.startsWith(API_KEY_PREFIX) ? inbound : randomUUID();
    initState(res, id);
    res.setHeader('inin-correlation-id', id);
    next();
  };
}
