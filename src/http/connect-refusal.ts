import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayError } from '../errors.js';
import { renderError } from './error-handler.js';

/**
 * CONNECT never reaches express: Node hands it to the server's `connect` event and, when nothing
 * listens, drops the connection without a word. The proxy tunnels nothing, so it answers CONNECT
 * as it answers any method outside the policy table (403, Genesys-shaped) and closes.
 */
export function refuseTunnels(server: Server): void {
  server.on('connect', (_req, socket: Duplex) => {
    socket.on('error', () => undefined);
    const correlationId = randomUUID();
    const body = JSON.stringify(renderError(new GatewayError('route.not.allowed'), correlationId));
    socket.end(
      [
        'HTTP/1.1 403 Forbidden',
        'content-type: application/json; charset=utf-8',
        `content-length: ${Buffer.byteLength(body)}`,
        'cache-control: no-store',
        `inin-correlation-id: ${correlationId}`,
        'connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
