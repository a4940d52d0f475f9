import type { Request, Response } from 'express';
import { GatewayError } from '../../../src/errors.js';
import { errorHandler } from '../../../src/http/error-handler.js';
import { initState, stateOf } from '../../../src/http/request-state.js';
import { createLogger } from '../../../src/logging/logger.js';

function fakeResponse() {
  const written: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    headersSent: false,
    setHeader(name: string, value: string) {
      written.headers = { ...written.headers, [name]: value };
    },
    writeHead(status: number, headers: Record<string, string>) {
      written.status = status;
      written.headers = { ...written.headers, ...headers };
    },
    end(body: Buffer) {
      written.body = body.toString('utf8');
    },
  } as unknown as Response;
  initState(res, 'corr-9');
  return { res, written };
}

describe('the error handler', () => {
  const handle = errorHandler(createLogger('silent'));

  it('records the refusal’s audit reason and renders Genesys’s error shape, without the reason', () => {
    const { res, written } = fakeResponse();
    handle(new GatewayError('too.many.requests', { retryAfter: 3, audit: 'tenant rate limit' }), { method: 'GET' } as Request, res, () => undefined);
    expect(stateOf(res).denial).toBe('tenant rate limit');
    expect(written.status).toBe(429);
    expect(written.headers?.['retry-after']).toBe('3');
    expect(JSON.parse(written.body!)).toEqual({ message: expect.any(String), code: 'too.many.requests', status: 429, contextId: 'corr-9' });
    expect(written.body).not.toContain('tenant rate limit');
  });

  it('answers a bug with a generic 500 that says nothing about it', () => {
    const { res, written } = fakeResponse();
    handle(new Error('secret detail'), { method: 'GET' } as Request, res, () => undefined);
    expect(written.status).toBe(500);
    expect(written.body).not.toContain('secret detail');
  });
});
