import { SettingsError } from '../config/settings.js';
import { GatewayError } from '../errors.js';
import { divisionsCommand } from './divisions.js';
import { type CliCommand, type CliIo, UsageError } from './io.js';
import { keygenCommand } from './keygen.js';
import { tenantsCommand, validateCommand, whoamiCommand } from './tenant-commands.js';
import { PROXY_VERSION } from '../version.js';

const commands: readonly CliCommand[] = [keygenCommand, validateCommand, tenantsCommand, divisionsCommand, whoamiCommand];

const overview = `Usage: genesys-division-proxy <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Options:
  --help, -h     this overview ("<command> --help" for a command's options)
  --version, -v  the version
`;

/** Runs one CLI command and returns the exit code: 0 success, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`genesys-division-proxy ${PROXY_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${overview}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`${(error as Error).message}\n\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof SettingsError || error instanceof GatewayError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** node:util parseArgs errors are matched by code: they come from another realm under test runners. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
