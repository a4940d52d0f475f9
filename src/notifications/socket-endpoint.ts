import { randomUUID } from 'node:crypto';
import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { GatewayError } from '../errors.js';
import { renderError } from '../http/error-handler.js';
import type { NotificationService } from './notification-service.js';

/** Where tenant sockets connect: the path of every connectUri the proxy hands out. */
export const SOCKET_PATH = /^\/channels\/([A-Za-z0-9_-]{1,128})$/;

/** Largest frame a tenant may send (subscribe frames); Genesys does not document one. */
const MAX_TENANT_FRAME_BYTES = 256 * 1024;

/**
 * Takes WebSocket upgrades to `/channels/{id}` on the tenant port. A channel that does not exist,
 * belongs to a removed key or tenant, or has expired answers 404 in Genesys's error shape, like any
 * unknown id. Any other Upgrade (h2c, or a WebSocket elsewhere) is not taken: the request is
 * answered as the ordinary HTTP request it also is, as it would be without this listener.
 */
export function acceptTenantSockets(server: Server, service: NotificationService): () => void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_TENANT_FRAME_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const id = SOCKET_PATH.exec(req.url ?? '')?.[1];
    if (id === undefined || String(req.headers.upgrade).toLowerCase() !== 'websocket') {
      answerAsRequest(server, req, socket, head);
      return;
    }
    if (!service.canConnect(id)) {
      refuse(socket, 404, new GatewayError('not.found'));
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => service.attach(id, ws));
  });
  return () => sockets.close();
}

/**
 * Hands an Upgrade request that is not a channel socket to the server's ordinary request handling,
 * on a connection that closes after the answer. Its body cannot be read once Node has switched the
 * connection to upgrade mode, so one with a body is refused.
 */
function answerAsRequest(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const length = req.headers['content-length'];
  if (head.length > 0 || req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) {
    refuse(socket, 400, new GatewayError('bad.request', { message: 'An Upgrade request may not carry a body.' }));
    return;
  }
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  server.emit('request', req, res);
}

function refuse(socket: Duplex, status: number, error: GatewayError): void {
  const correlationId = randomUUID();
  const body = JSON.stringify(renderError(error, correlationId));
  socket.end(
    [`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}`, 'content-type: application/json; charset=utf-8', `content-length: ${Buffer.byteLength(body)}`, `inin-correlation-id: ${correlationId}`, 'connection: close', '', body].join('\r\n'),
  );
}
