import http, { type IncomingHttpHeaders } from 'node:http';

export interface StreamedReadResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The answer ended as HTTP says an answer ends (all of its chunks, then the last one). */
  readonly complete: boolean;
  readonly error?: Error;
}

/** A GET whose body the test watches as it arrives (supertest only shows the end). */
export class StreamedRead {
  readonly done: Promise<StreamedReadResult>;
  #text = '';
  #watchers: { readonly test: (text: string) => boolean; readonly resolve: (text: string) => void }[] = [];
  readonly #request: http.ClientRequest;

  constructor(baseUrl: string, path: string, headers: Record<string, string>) {
    const { hostname, port } = new URL(baseUrl);
    let resolveDone!: (result: StreamedReadResult) => void;
    this.done = new Promise((resolve) => (resolveDone = resolve));
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    const finish = (complete: boolean, error?: Error) => resolveDone({ status, headers: responseHeaders, text: this.#text, complete, ...(error ? { error } : {}) });
    this.#request = http.request({ host: hostname, port, path, headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.#text += chunk;
        this.#watchers = this.#watchers.filter((watcher) => (watcher.test(this.#text) ? (watcher.resolve(this.#text), false) : true));
      });
      res.on('end', () => finish(res.complete));
      res.on('error', (error) => finish(false, error));
      res.on('close', () => finish(res.complete));
    });
    this.#request.on('error', (error) => finish(false, error));
    this.#request.end();
  }

  /** Resolves once the text received so far passes `test`. */
  until(test: (text: string) => boolean): Promise<string> {
    if (test(this.#text)) return Promise.resolve(this.#text);
    return new Promise((resolve) => this.#watchers.push({ test, resolve }));
  }

  /** The client goes away mid-answer. */
  abort(): void {
    this.#request.destroy();
  }
}
