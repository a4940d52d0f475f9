import type { NextFunction, Request, Response } from 'express';
import { initState, stateOf, type RequestState } from '../../src/http/request-state.js';

/** A request and response as express middleware sees them, without a socket. */
export interface FakeExchange {
  readonly req: Request;
  readonly res: Response;
  readonly state: RequestState;
  readonly headersSet: Record<string, string>;
  /** Runs one middleware: resolves with whether it called next(), rejects with what it threw. */
  run(middleware: (req: Request, res: Response, next: NextFunction) => unknown): Promise<boolean>;
}

export function fakeExchange(options: { method?: string; url?: string; headers?: [string, string][] } = {}): FakeExchange {
  const raw = options.headers ?? [];
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of raw) {
    const key = name.toLowerCase();
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [existing, value].flat();
  }
  const headersSet: Record<string, string> = {};
  const req = { method: options.method ?? 'GET', url: options.url ?? '/', headers, rawHeaders: raw.flat() } as unknown as Request;
  const res = {
    setHeader(name: string, value: string) {
      headersSet[name.toLowerCase()] = value;
      return res;
    },
  } as unknown as Response;
  initState(res, 'corr-1');
  return {
    req,
    res,
    get state() {
      return stateOf(res);
    },
    headersSet,
    async run(middleware) {
      let nextCalled = false;
      let nextError: unknown;
      await middleware(req, res, (error?: unknown) => {
        nextCalled = true;
        nextError = error;
      });
      if (nextError !== undefined) throw nextError;
      return nextCalled;
    },
  };
}
