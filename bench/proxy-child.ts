import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadSettings } from '../src/config/settings.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/logging/logger.js';
import { loadTenantsFromDir } from '../src/tenants/load-tenants.js';
import { serveControl } from './child-control.js';

/**
 * The real proxy, wired by its own composition root from the environment as `npm start` does
 * (audit lines go to stdout, which the orchestrator sends to /dev/null), plus the control
 * channel. It can also record a V8 CPU profile of one run on request.
 */
const settings = loadSettings(process.env);
const logger = createLogger(settings.logLevel);
const gateway = createGateway({ settings, tenants: await loadTenantsFromDir(settings.tenantsDir), logger, watchTenants: true });
const running = await gateway.listen(0, '127.0.0.1');

const session = new Session();
session.connect();

serveControl(
  { url: running.url },
  {
    'profile-start': async () => {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    },
    'profile-stop': async () => {
      const { profile } = await session.post('Profiler.stop');
      const file = process.env['BENCH_PROFILE_FILE'] ?? 'proxy.cpuprofile';
      await writeFile(file, JSON.stringify(profile));
      return file;
    },
  },
);
