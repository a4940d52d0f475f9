import { pathToFileURL } from 'node:url';
import { describeSettings, loadSettings, SettingsError } from './config/settings.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logging/logger.js';
import { exitOnSignals, serve } from './server/process.js';
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
  const serving = await serve(gateway, settings);
  logger.info(
    { settings: describeSettings(settings), tenants: tenants.size, url: serving.proxy.url, operationsUrl: serving.operations?.url },
    'genesys-division-proxy started',
  );
  if (tenants.size === 0) logger.warn({ tenantsDir: settings.tenantsDir }, 'no tenant files found: every request will be refused');
  exitOnSignals(gateway, serving, logger);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
