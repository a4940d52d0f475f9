import zlib from 'node:zlib';
import type { Response } from 'express';
import { errorBody } from './errors.js';

export type ForcedEncoding = 'gzip' | 'deflate' | 'br';

/** What the middleware chain hands to route handlers through `res.locals`. */
export interface SimulatorLocals {
  correlationId: string;
  forcedEncoding?: ForcedEncoding;
  /** The request-log entry still waiting for the body. */
  logEntry?: { setBody(text: string): void };
  /** The OAuth client the bearer token was issued to. */
  clientId?: string;
}

export const localsOf = (res: Response): SimulatorLocals => res.locals as SimulatorLocals;

const ENCODERS: Record<ForcedEncoding, (input: Buffer) => Buffer> = {
  gzip: (input) => zlib.gzipSync(input),
  deflate: (input) => zlib.deflateSync(input),
  br: (input) => zlib.brotliCompressSync(input),
};

/** Every answer but a reset goes through here: one serialisation, and the `gzip` fault can encode any of them. */
export function sendBytes(res: Response, status: number, payload: Buffer, contentType?: string): void {
  const encoding = localsOf(res).forcedEncoding;
  let body = payload;
  if (encoding && payload.length > 0) {
    body = ENCODERS[encoding](payload);
    res.setHeader('content-encoding', encoding);
  }
  res.status(status);
  if (contentType) res.setHeader('content-type', contentType);
  res.setHeader('content-length', body.length);
  res.end(body);
}

export function sendJson(res: Response, status: number, body: unknown): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body), 'utf8'), 'application/json; charset=UTF-8');
}

export function sendEmpty(res: Response, status: number): void {
  sendBytes(res, status, Buffer.alloc(0));
}

export function sendError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, errorBody(status, code, message, localsOf(res).correlationId));
}
