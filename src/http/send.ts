import { SerializedJson } from '../executor/serialized-json.js';
import type { StreamedJson } from '../executor/streamed-json.js';
import type { Response } from 'express';

function jsonHeaders(correlationId: string): Record<string, string> {
  return { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'inin-correlation-id': correlationId };
}

/**
 * Every JSON answer the proxy writes itself goes through here: one place for its headers.
 * `chunked`: sent without a length, as the row's streamed answers are, so that whether an answer
 * streamed (which depends on the size of what Genesys sent) does not show in its framing.
 */
export function sendJson(res: Response, status: number, body: unknown, correlationId: string, framing: 'length' | 'chunked' = 'length'): void {
  // One Buffer: a string would be encoded again inside the socket's writev, which costs more than the copy.
  const payload = body instanceof SerializedJson ? body.bytes : Buffer.from(JSON.stringify(body), 'utf8');
  if (framing === 'chunked') {
    res.writeHead(status, jsonHeaders(correlationId));
    res.write(payload);
    res.end();
    return;
  }
  res.writeHead(status, { ...jsonHeaders(correlationId), 'content-length': String(payload.length) });
  res.end(payload);
}

/**
 * Sends an answer as it is scoped: chunked, each write waiting for the tenant to take the last
 * (so a slow tenant slows the read from Genesys, not the proxy's memory). The status goes out with
 * the first bytes, so a failure before them rejects and is answered as any other error; after
 * them the rejection leaves the answer unfinished, and the error handler cuts the connection, so
 * the tenant never gets a shorter body that parses. A tenant that goes away cancels the upstream
 * call and the promise resolves. `progress` is told the tally after every write.
 */
export async function sendStreamedJson(res: Response, status: number, body: StreamedJson, correlationId: string, progress: () => void): Promise<void> {
  let gone = false;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    body.cancel();
  };
  res.once('close', onClose);
  const chunks = body.rest[Symbol.asyncIterator]();
  try {
    let first = body.head;
    while (first.length === 0) {
      const step = await chunks.next();
      if (gone) return;
      if (step.done) break;
      first = step.value;
    }
    res.writeHead(status, jsonHeaders(correlationId));
    progress();
    if (!res.write(first)) await drained(res);
    for (;;) {
      if (gone) return;
      const step = await chunks.next();
      if (gone) return;
      if (step.done) break;
      progress();
      if (!res.write(step.value)) await drained(res);
    }
    progress();
    res.end();
  } catch (error) {
    body.cancel();
    if (gone) return;
    throw error;
  } finally {
    res.off('close', onClose);
    if (gone) await chunks.return?.(undefined);
  }
}

/** Waits until the socket takes more, or is gone (a 'drain' that never comes would hang). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
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
