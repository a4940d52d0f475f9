import { parseArgs } from 'node:util';
import { keyExpiryNotices } from '../tenants/expiry.js';
import { loadTenantsFromDir, readTenantFolder, TenantConfigError, type TenantFolderReport } from '../tenants/load-tenants.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';
import { type CliCommand, type CliIo, UsageError } from './io.js';

function tenantsDir(positional: string | undefined, io: CliIo): string {
  return positional ?? io.env['TENANTS_DIR'] ?? 'config/tenants';
}

async function load(dir: string, io: CliIo): Promise<TenantRegistry | undefined> {
  return reportProblems(() => loadTenantsFromDir(dir), io);
}

async function reportProblems<T>(read: () => Promise<T>, io: CliIo): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof TenantConfigError)) throw error;
    for (const p of error.problems) io.err(`${p.file}${p.field ? `: ${p.field}` : ''}: ${p.message}\n`);
    return undefined;
  }
}

function oneOptionalDir(args: readonly string[], command: string): string | undefined {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError(`${command} takes at most one folder`);
  return positionals[0];
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check every tenant file; non-zero exit with file:field messages',
  usage: `Usage: genesys-division-proxy validate [dir]

Checks every tenant file in dir (default: $TENANTS_DIR or config/tenants) exactly as the proxy
does at start and on reload, following links as a Kubernetes ConfigMap presents them. Says which
files it read and which it ignored, warns about keys expired or expiring within 14 days, prints
one line per problem (file: field: message) and exits 1 when there is any or when the folder has
no tenant file, 0 otherwise.`,
  async run(args, io) {
    const dir = tenantsDir(oneOptionalDir(args, 'validate'), io);
    const report: TenantFolderReport | undefined = await reportProblems(() => readTenantFolder(dir), io);
    if (!report) return 1;
    for (const file of report.read) io.out(`read     ${file}\n`);
    for (const entry of report.ignored) io.out(`ignored  ${entry.file}: ${entry.reason}\n`);
    for (const notice of keyExpiryNotices(report.registry, io.now())) io.err(`warning: ${notice.file}: ${notice.message}\n`);
    const { size } = report.registry;
    if (size === 0) {
      io.err(`${dir}: no tenant files (.yaml, .yml or .json): the proxy would refuse every key\n`);
      return 1;
    }
    io.out(`${dir}: ${size} tenant${size === 1 ? '' : 's'}, all valid\n`);
    return 0;
  },
};

export const tenantsCommand: CliCommand = {
  name: 'tenants',
  summary: 'list tenants, their key ids, expiries and divisions',
  usage: `Usage: genesys-division-proxy tenants [dir]

Lists every tenant in dir (default: $TENANTS_DIR or config/tenants): id, name, access, divisions,
and each key id with its expiry. Keys themselves are never stored, so never shown.`,
  async run(args, io) {
    const registry = await load(tenantsDir(oneOptionalDir(args, 'tenants'), io), io);
    if (!registry) return 1;
    for (const tenant of registry.list()) {
      io.out(`${tenant.id}  ${tenant.name}  (${tenant.access}${tenant.requestsPerMinute ? `, ${tenant.requestsPerMinute}/min` : ''})\n`);
      io.out(`  divisions: ${tenant.divisionIds.join(', ')}\n`);
      for (const key of tenant.keys) {
        const expiry = key.expiresAt === undefined ? 'no expiry' : `expires ${new Date(key.expiresAt).toISOString()}`;
        const expired = key.expiresAt !== undefined && key.expiresAt <= io.now() ? ' (EXPIRED)' : '';
        io.out(`  key ${key.id}: ${expiry}${expired}\n`);
      }
    }
    return 0;
  },
};

export const whoamiCommand: CliCommand = {
  name: 'whoami',
  summary: 'say which tenant and key id a key belongs to',
  usage: `Usage: genesys-division-proxy whoami <key> [dir]

Says which tenant and key id the key belongs to (the key is not printed). Use "-" to read the key
from standard input, which keeps it out of the shell history.`,
  async run(args, io) {
    const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('whoami takes a key and at most one folder');
    const key = positionals[0] === '-' ? (await readStdin()).trim() : positionals[0]!;
    const registry = await load(tenantsDir(positionals[1], io), io);
    if (!registry) return 1;
    const lookup = registry.tenantFromApiKey(key, io.now());
    if (lookup.ok) {
      io.out(`tenant ${lookup.tenant.id} (${lookup.tenant.name}), key ${lookup.key.id}\n`);
      return 0;
    }
    io.err(lookup.reason === 'expired' ? 'this key has expired\n' : 'this key belongs to no tenant\n');
    return 1;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
