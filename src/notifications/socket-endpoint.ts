import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { GatewayError } from '../errors.js';
import { renderError } from '../http/error-handler.js';
import type { NotificationService } from './notification-service.js';

/** Where tenant sockets connect: the path of every connectUri the proxy hands out. */
export const SOCKET_PATH = /^\/channels\/([A-Za-z0-9_-]{1,128})$/;

/** Largest frame a tenant may send (subscribe frames); Genesys does not document one. */
const MAX_TENANT_FRAME_BYTES = 256 * 1024;

/**
 * Takes WebSocket upgrades on the tenant port. A channel that does not exist, belongs to a removed
 * key or tenant, or has expired answers 404 in Genesys's error shape, like any unknown id.
 */
export function acceptTenantSockets(server: Server, service: NotificationService): () => void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_TENANT_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const id = SOCKET_PATH.exec(req.url ?? '')?.[1];
    if (id === undefined || !service.canConnect(id)) {
      const correlationId = randomUUID();
      const body = JSON.stringify(renderError(new GatewayError('not.found'), correlationId));
      socket.end(
        ['HTTP/1.1 404 Not Found', 'content-type: application/json; charset=utf-8', `content-length: ${Buffer.byteLength(body)}`, `inin-correlation-id: ${correlationId}`, 'connection: close', '', body].join('\r\n'),
      );
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => service.attach(id, ws));
  });
  return () => sockets.close();
}
