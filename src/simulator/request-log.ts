import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface LoggedRequest {
  readonly method: string;
  /** Exactly as received, path and query. */
  readonly url: string;
  readonly path: string;
  /** Raw query string without the `?`; '' when none. */
  readonly query: string;
  /** Lowercased names, as node delivers them. */
  readonly headers: Readonly<IncomingHttpHeaders>;
  /** Raw body text; '' when none. */
  readonly body: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

export interface RequestLogFilter {
  readonly method?: string;
  readonly pathPrefix?: string;
}

type MutableEntry = { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] };

/** Everything the simulator received, in arrival order, so tests can check what the proxy sent. */
export class RequestLog {
  readonly #entries: MutableEntry[] = [];
  #enabled = true;

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Benchmarks switch it off; recording is cheap but not free. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
  }

  /** Returns a handle to attach the body to once it has been read. */
  record(req: IncomingMessage): { setBody(text: string): void } | undefined {
    if (!this.#enabled) return undefined;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const entry: MutableEntry = {
      method: req.method ?? 'GET',
      url,
      path: mark === -1 ? url : url.slice(0, mark),
      query: mark === -1 ? '' : url.slice(mark + 1),
      headers: { ...req.headers },
      body: '',
      at: Date.now(),
    };
    this.#entries.push(entry);
    return {
      setBody(text) {
        entry.body = text;
      },
    };
  }

  all(): readonly LoggedRequest[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries.length = 0;
  }

  count(filter: RequestLogFilter = {}): number {
    return this.#entries.filter((entry) => matches(entry, filter)).length;
  }

  /** How many token requests (POST /oauth/token) arrived. */
  tokenRequests(): number {
    return this.count({ method: 'POST', pathPrefix: '/oauth/token' });
  }
}

function matches(entry: LoggedRequest, filter: RequestLogFilter): boolean {
  if (filter.method !== undefined && entry.method.toUpperCase() !== filter.method.toUpperCase()) return false;
  return filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix);
}
