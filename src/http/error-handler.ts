import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { GatewayError, isGatewayError } from '../errors.js';
import { stateOf } from './request-state.js';
import { sendJson } from './send.js';

/** Genesys's ErrorBody, which the official SDKs parse: the only error shape a tenant ever sees. */
export interface GenesysErrorBody {
  readonly message: string;
  readonly code: string;
  readonly status: number;
  readonly contextId: string;
}

export function renderError(error: GatewayError, contextId: string): GenesysErrorBody {
  return { message: error.message, code: error.code, status: error.status, contextId };
}

/**
 * The one place errors become responses. Anything that is not a GatewayError is a bug: it is
 * logged in full here and the tenant gets a generic 500 that says nothing about why.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function gatewayErrorHandler(error: unknown, req, res, _next) {
    const state = stateOf(res);
    const gatewayError = toGatewayError(error);
    if (gatewayError.audit !== undefined) state.denial ??= gatewayError.audit;
    if (gatewayError.status >= 500) {
      logger.error(
        { err: isGatewayError(error) ? error.cause ?? error : error, code: gatewayError.code, correlationId: state.correlationId, method: req.method, route: state.match?.route.rule.path },
        gatewayError.message,
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (gatewayError.retryAfter !== undefined) res.setHeader('retry-after', String(gatewayError.retryAfter));
    sendJson(res, gatewayError.status, renderError(gatewayError, state.correlationId), state.correlationId);
  };
}

function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  // Framework errors that carry a client status (for example a malformed header) stay 4xx.
  const status = (error as { status?: unknown; statusCode?: unknown } | undefined)?.status;
  if (typeof status === 'number' && status === 413) return new GatewayError('payload.too.large');
  if (typeof status === 'number' && status >= 400 && status < 500) return new GatewayError('bad.request');
  return new GatewayError('internal.server.error', { cause: error });
}
