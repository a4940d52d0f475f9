import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the proxy made to a scripted path. */
export interface ScriptedCall {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The simulator's answer to this call's credentials, for this path and query, read whole. */
  simulatorBody(pathAndQuery: string): Promise<Buffer>;
  /** Resolves when the proxy closed the connection before the answer was complete. */
  readonly abandoned: Promise<void>;
}

export type ScriptedHandler = (call: ScriptedCall) => Promise<void> | void;

/** A promise opened from outside: a point in a test's script that waits for an event. */
export class Gate {
  readonly #opened: Promise<void>;
  #open!: () => void;

  constructor() {
    this.#opened = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  open(): void {
    this.#open();
  }

  wait(): Promise<void> {
    return this.#opened;
  }
}

/**
 * Genesys as the proxy sees it, with paths the test scripts: a server in front of the simulator
 * that forwards every request but those of one path, which a handler of the test's answers (in
 * chunks, with pauses, or by cutting the connection).
 */
export class ScriptedUpstream {
  readonly calls: ScriptedCall[] = [];
  handler: ScriptedHandler | undefined;
  #target = '';
  readonly #server: http.Server;
  readonly #arrivals: { readonly count: number; readonly resolve: (call: ScriptedCall) => void }[] = [];

  private constructor(readonly path: string) {
    this.#server = http.createServer((req, res) => this.#serve(req, res));
  }

  /** Listens on a loopback port; `url` goes to the proxy as GENESYS_API_URL. */
  static async start(path: string): Promise<ScriptedUpstream> {
    const upstream = new ScriptedUpstream(path);
    await new Promise<void>((resolve) => upstream.#server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The simulator that answers everything not scripted. */
  forwardTo(url: string): string {
    this.#target = url;
    return this.url;
  }

  /** Resolves when the `count`-th call to the scripted path has arrived (1 is the first). */
  callNumber(count: number): Promise<ScriptedCall> {
    const arrived = this.calls[count - 1];
    if (arrived) return Promise.resolve(arrived);
    return new Promise((resolve) => this.#arrivals.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== this.path || !this.handler) {
      this.#forward(req, res);
      return;
    }
    const call: ScriptedCall = {
      req,
      res,
      simulatorBody: (pathAndQuery) => this.#fetch(pathAndQuery, req.headers.authorization ?? ''),
      abandoned: new Promise((resolve) => res.once('close', () => (res.writableFinished ? undefined : resolve()))),
    };
    this.calls.push(call);
    for (const waiting of this.#arrivals.filter((arrival) => arrival.count === this.calls.length)) waiting.resolve(call);
    void Promise.resolve(this.handler(call)).catch(() => res.destroy());
  }

  #forward(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(this.#target);
    const headers = { ...req.headers, host: target.host };
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async #fetch(pathAndQuery: string, authorization: string): Promise<Buffer> {
    const answer = await fetch(this.#target + pathAndQuery, { headers: { authorization, accept: 'application/json' } });
    if (!answer.ok) throw new Error(`the simulator answered ${answer.status} to ${pathAndQuery}`);
    return Buffer.from(await answer.arrayBuffer());
  }
}

/** Writes `bytes` in slices of `sliceBytes`, each as its own write. */
export async function writeInSlices(res: ServerResponse, bytes: Buffer, sliceBytes: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    if (!res.write(bytes.subarray(at, at + sliceBytes))) await new Promise((resolve) => res.once('drain', resolve));
  }
}
