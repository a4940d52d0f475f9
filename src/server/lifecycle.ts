import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { refuseTunnels } from '../http/connect-refusal.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The listeners of one proxy: opened, tracked, and drained together. */
export class Listeners {
  readonly #servers = new Set<http.Server>();
  readonly #shutdownTimeoutMs: number;

  constructor(shutdownTimeoutMs: number) {
    this.#shutdownTimeoutMs = shutdownTimeoutMs;
  }

  /** The tenant-facing listener; `upgrades` takes its WebSocket upgrades (notification sockets). */
  listenApp(app: http.RequestListener, port: number, host: string, upstreamTimeoutMs: number, upgrades?: (server: http.Server) => void): Promise<RunningServer> {
    const server = http.createServer({ maxHeaderSize: 16 * 1024, requestTimeout: upstreamTimeoutMs + 30_000 }, app);
    server.keepAliveTimeout = 65_000;
    refuseTunnels(server);
    upgrades?.(server);
    return this.listen(server, port, host);
  }

  async listen(server: http.Server, port: number, host: string): Promise<RunningServer> {
    this.#servers.add(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      url: `http://${shownHost}:${address.port}`,
      port: address.port,
      close: () => drain(server, this.#shutdownTimeoutMs).finally(() => this.#servers.delete(server)),
    };
  }

  /** Stops accepting everywhere and lets in-flight requests finish (up to the shutdown timeout). */
  async drainAll(): Promise<void> {
    await Promise.all([...this.#servers].map((server) => drain(server, this.#shutdownTimeoutMs)));
  }
}

/**
 * Stops accepting connections and waits for in-flight requests; keep-alive connections are closed
 * as soon as they are idle, and whatever is still open at the deadline is cut.
 */
function drain(server: http.Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
