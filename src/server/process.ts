import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Gateway } from '../gateway.js';
import type { RunningServer } from './lifecycle.js';

/** A proxy serving: its tenant listener, its operations listener (METRICS_PORT > 0), and its stop. */
export interface Serving {
  readonly proxy: RunningServer;
  readonly operations: RunningServer | undefined;
  /** Drains and releases the proxy, then whatever `alsoClose` names (the demo's simulator). */
  close(): Promise<void>;
}

/** Opens the listeners as configured (tenant watching starts with the tenant listener). */
export async function serve(gateway: Gateway, settings: Settings, alsoClose: () => Promise<void> = async () => undefined): Promise<Serving> {
  const proxy = await gateway.listen(settings.port, settings.host);
  const operations = settings.metricsPort > 0 ? await gateway.listenOperations(settings.metricsPort, settings.host) : undefined;
  return {
    proxy,
    operations,
    async close() {
      await gateway.close();
      await alsoClose();
    },
  };
}

/**
 * SIGHUP reloads the tenant files; SIGTERM and SIGINT drain and exit (0, or 1 if closing failed);
 * an unhandled rejection is fatal, since the process state is then unknown.
 */
export function exitOnSignals(gateway: Gateway, serving: Serving, logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    serving.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        exit(1);
      },
    );
  };
  process.on('SIGHUP', () => void gateway.reloader.reload());
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    exit(1);
  });
}
