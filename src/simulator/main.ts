import { pathToFileURL } from 'node:url';
import { recentConversations } from './seed-org.js';
import { createSimulator, type RunningSimulator } from './simulator.js';

/** Starts the simulator from SIM_* variables and prints where it listens (docker-compose reads it). */
export async function runSimulatorFromEnv(
  env: Record<string, string | undefined> = process.env,
  print: (text: string) => void = (text) => process.stdout.write(text),
): Promise<RunningSimulator> {
  const port = Number(env['SIM_PORT'] ?? 9090);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SIM_PORT must be a port number, got ${env['SIM_PORT']}`);
  const host = env['SIM_HOST'] ?? '0.0.0.0';
  const simulator = createSimulator({
    ...(env['SIM_CLIENT_ID'] ? { clientId: env['SIM_CLIENT_ID'] } : {}),
    ...(env['SIM_CLIENT_SECRET'] ? { clientSecret: env['SIM_CLIENT_SECRET'] } : {}),
    // A demo org: its analytics cover the days before today, so "the last 7 days" finds data.
    seed: recentConversations(Date.now()),
  });
  const running = await simulator.listen(port, host);
  print(`genesys simulator listening on ${running.url}\n`);
  return running;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSimulatorFromEnv().then(
    (running) => {
      const stop = () => void running.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      process.stderr.write(`genesys simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
