import { pathToFileURL } from 'node:url';
import { loadSettings } from '../config/settings.js';
import type { Logger } from 'pino';
import { createGateway, type Gateway } from '../gateway.js';
import { createLogger } from '../logging/logger.js';
import { exitOnSignals, serve, type Serving } from '../server/process.js';
import { createSimulator } from '../simulator/index.js';
import { recentConversations } from '../simulator/seed-org.js';
import { loadTenantsFromDir } from '../tenants/load-tenants.js';

/** Published demo keys; their tenant files only name the simulator's divisions. */
const DEMO_KEYS = {
  acme: 'gdp_demo_acme_DO-NOT-USE-IN-PRODUCTION_0001',
  globex: 'gdp_demo_globex_DO-NOT-USE-IN-PRODUCTION_0001',
} as const;

/**
 * `npm run demo`: the simulator and the proxy on the default settings, with the example tenants,
 * and curl commands that show each tenant seeing only its own queues.
 */
export async function runDemo(
  env: Record<string, string | undefined> = process.env,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<Serving & { readonly gateway: Gateway; readonly logger: Logger }> {
  const simulatorPort = Number(env['SIM_PORT'] ?? 9090);
  // Analytics in the days before today, so a "last 7 days" query finds conversations.
  const sim = createSimulator({ clientId: 'demo-client-id', clientSecret: 'demo-client-secret', seed: recentConversations(Date.now()) });
  const simulator = await sim.listen(simulatorPort, '127.0.0.1');
  const settings = loadSettings({
    // The demo's keys are published: it listens on loopback unless told otherwise.
    HOST: '127.0.0.1',
    ...env,
    GENESYS_API_URL: simulator.url,
    GENESYS_LOGIN_URL: simulator.url,
    GENESYS_CLIENT_ID: 'demo-client-id',
    GENESYS_CLIENT_SECRET: 'demo-client-secret',
    LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn',
  });
  const tenants = await loadTenantsFromDir(settings.tenantsDir);
  const logger = createLogger(settings.logLevel);
  // The real composition: tenant watching, the operations listener, SIGHUP and the drain.
  const gateway = createGateway({ settings, tenants, logger, watchTenants: true });
  const serving = await serve(gateway, settings, () => simulator.close());
  const base = serving.proxy.url;
  const acmeQueue = sim.org.queues.find((q) => q.division.id === tenants.tenant('acme')?.divisionIds[0]);
  const globexQueue = sim.org.queues.find((q) => q.division.id === tenants.tenant('globex')?.divisionIds[0]);

  write(`
genesys-division-proxy demo
  Genesys simulator  ${simulator.url}   (${sim.org.divisions.length} divisions, ${sim.org.queues.length} queues)
  proxy              ${base}   (${tenants.size} tenants from ${settings.tenantsDir})
  operations         ${serving.operations ? `${serving.operations.url}/metrics` : 'off (METRICS_PORT=0)'}
  console            ${serving.operations ? `${serving.operations.url}/console` : 'off (METRICS_PORT=0)'}

Acme (Acme North + Acme South) lists only its queues:
  curl -s -H 'X-API-Key: ${DEMO_KEYS.acme}' '${base}/api/v2/routing/queues?pageSize=100' | jq -c '.total, ([.entities[].division.name] | unique)'

Globex (Globex) lists only its queues:
  curl -s -H 'Authorization: Bearer ${DEMO_KEYS.globex}' '${base}/api/v2/routing/queues?pageSize=100' | jq -c '.total, ([.entities[].division.name] | unique)'

Acme reads its own queue, and gets 404 for Globex's:
  curl -s -H 'X-API-Key: ${DEMO_KEYS.acme}' '${base}/api/v2/routing/queues/${acmeQueue?.id}' | jq '.name, .division.name'
  curl -s -H 'X-API-Key: ${DEMO_KEYS.acme}' '${base}/api/v2/routing/queues/${globexQueue?.id}'

Globex logs in like a Genesys SDK would (client credentials = key id and key) and uses the token:
  TOKEN=$(curl -s -u 'globex-demo-2026-11:${DEMO_KEYS.globex}' -d grant_type=client_credentials '${base}/oauth/token' | jq -r .access_token)
  curl -s -H "Authorization: Bearer $TOKEN" '${base}/api/v2/authorization/divisions' | jq -c '[.entities[].name]'

Without a key, and on a route the proxy does not serve:
  curl -s '${base}/api/v2/routing/queues'
  curl -s -H 'X-API-Key: ${DEMO_KEYS.acme}' '${base}/api/v2/routing/skills'

Press Ctrl+C to stop.
`);
  return { ...serving, gateway, logger };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo().then(
    (demo) => exitOnSignals(demo.gateway, demo, demo.logger),
    (error: unknown) => {
      process.stderr.write(`demo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
