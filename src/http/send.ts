import { SerializedJson } from '../executor/serialized-json.js';
import type { Response } from 'express';

/** Every JSON answer the proxy writes itself goes through here: one place for its headers. */
export function sendJson(res: Response, status: number, body: unknown, correlationId: string): void {
  // One Buffer: a string would be encoded again inside the socket's writev, which costs more than the copy.
  const payload = body instanceof SerializedJson ? body.bytes : Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(payload.length),
    'cache-control': 'no-store',
    'inin-correlation-id': correlationId,
  });
  res.end(payload);
}

/** An answer with a status and no body (a delete): Genesys's body, if any, is not relayed. */
export function sendStatus(res: Response, status: number, correlationId: string): void {
  res.writeHead(status, {
    ...(status === 204 || status === 304 ? {} : { 'content-length': '0' }),
    'cache-control': 'no-store',
    'inin-correlation-id': correlationId,
  });
  res.end();
}
