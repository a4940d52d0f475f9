import { pathToFileURL } from 'node:url';
import { describeSettings, loadSettings, SettingsError } from './config/settings.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logging/logger.js';
import { loadTenantsFromDir, TenantConfigError } from './tenants/load-tenants.js';

/** Starts the proxy from the environment; a bad setting or tenant file stops it with a clear message. */
export async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(settings.logLevel);
  let tenants;
  try {
    tenants = await loadTenantsFromDir(settings.tenantsDir);
  } catch (error) {
    if (error instanceof TenantConfigError) {
      logger.fatal({ problems: error.problems }, 'invalid tenant configuration');
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const gateway = createGateway({ settings, tenants, logger, watchTenants: true });
  const running = await gateway.listen();
  const operations = settings.metricsPort > 0 ? await gateway.listenOperations() : undefined;
  logger.info(
    { settings: describeSettings(settings), tenants: tenants.size, url: running.url, operationsUrl: operations?.url },
    'genesys-division-proxy started',
  );
  if (tenants.size === 0) logger.warn({ tenantsDir: settings.tenantsDir }, 'no tenant files found: every request will be refused');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGHUP', () => void gateway.reloader.reload());
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
