import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';
import type { AuditStore } from '../tenant-audit/audit-store.js';
import { AUDIT_PATH, auditPage } from '../tenant-audit/audit-view.js';
import { stateOf } from './request-state.js';
import { sendJson } from './send.js';

/**
 * `GET /proxy/v1/audit`, the authenticated tenant's own recent requests. Mounted right after
 * authentication and outside the policy table: it is the proxy's route, not Genesys's, and calls
 * no Genesys.
 */
export function tenantAuditEndpoint(store: AuditStore): RequestHandler {
  return async function tenantAuditMiddleware(req, res, next) {
    const state = stateOf(res);
    if (state.path !== AUDIT_PATH) return next();
    if (!state.tenant) throw new Error('the audit view runs after authentication');
    if (req.method !== 'GET') {
      state.denial = 'audit view: method other than GET';
      throw new GatewayError('route.not.allowed');
    }
    if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') {
      throw new GatewayError('bad.request', { message: 'This route takes no request body.' });
    }
    sendJson(res, 200, await auditPage(store, state.tenant.id, state.rawQuery ?? ''), state.correlationId);
  };
}
