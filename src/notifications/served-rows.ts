import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { GatewayError } from '../errors.js';
import type { QueryValues } from '../scoping/query.js';
import type { TenantScope } from '../scoping/scope.js';
import type { ApiKeyRecord, Tenant } from '../tenants/tenant.js';
import type { NotificationService, Origin } from './notification-service.js';
import { answerNotificationRequest, type NotificationAnswer } from './notification-requests.js';

/** A host as an HTTP client may name it: a name or IPv4 address, or a bracketed IPv6 one, and a port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * How the tenant reached the proxy, for the connectUri: TLS on the socket or a terminating proxy
 * saying `X-Forwarded-Proto: https` means `wss`. The Host the tenant used is echoed only when it
 * is a plain host name: the tenant is the only one who sees it.
 */
export function originOf(req: IncomingMessage): Origin {
  const host = req.headers.host ?? '';
  if (!HOST.test(host)) throw new GatewayError('bad.request', { message: 'The Host header is not a host name.' });
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  return { secure: (req.socket as TLSSocket).encrypted === true || forwarded === 'https', host };
}

export interface ServedRowRequest {
  readonly method: string;
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryValues;
  readonly body: unknown;
  readonly tenant: Tenant;
  readonly key: ApiKeyRecord;
  readonly scope: TenantScope;
  readonly correlationId: string;
  readonly req: IncomingMessage;
}

/** A policy row the proxy answers itself (`response.kind: 'served'`). */
export function answerServedRow(service: NotificationService, request: ServedRowRequest): Promise<NotificationAnswer> {
  return answerNotificationRequest(service, {
    method: request.method,
    route: request.route,
    params: request.params,
    query: request.query,
    body: request.body,
    caller: { tenant: request.tenant, key: request.key, divisions: request.scope.divisions, correlationId: request.correlationId },
    origin: originOf(request.req),
  });
}
