import { parseArgs } from 'node:util';
import { generateApiKey, sha256Hex } from '../tenants/api-key.js';
import { EXPIRY_FORMAT, parseExpiry } from '../tenants/expiry.js';
import { KEY_ID, TENANT_ID } from '../tenants/tenant-schema.js';
import { type CliCommand, UsageError } from './io.js';

export const keygenCommand: CliCommand = {
  name: 'keygen',
  summary: 'print a new API key once, and the lines to paste into the tenant file',
  usage: `Usage: genesys-division-proxy keygen <tenant-id> [--key-id <id>] [--expires <ISO date-time>]

Prints a new random key (256 bits, prefix gdp_) exactly once, and the apiKeys entry for the
tenant file: its id and SHA-256. The key itself is stored nowhere; give it to the tenant.

Options:
  --key-id <id>      key id to use (default: <tenant-id>-<yyyy-mm-dd>-<random>)
  --expires <date>   ISO-8601 date-time after which the key stops working`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'key-id': { type: 'string' }, expires: { type: 'string' } },
    });
    const tenantId = positionals[0];
    if (!tenantId || positionals.length > 1) throw new UsageError('keygen takes exactly one tenant id');
    if (!TENANT_ID.test(tenantId)) throw new UsageError('the tenant id must match ^[a-z0-9][a-z0-9-]{1,62}$');
    const expires = values.expires;
    if (expires !== undefined) {
      const time = parseExpiry(expires);
      if (time === undefined) throw new UsageError(`--expires must be a real date: ${EXPIRY_FORMAT}`);
      if (time <= io.now()) throw new UsageError(`--expires ${expires} is in the past: the key would never work`);
    }
    const key = generateApiKey();
    const today = new Date(io.now()).toISOString().slice(0, 10);
    const keyId = values['key-id'] ?? `${tenantId}-${today}-${sha256Hex(key).slice(0, 6)}`;
    if (!KEY_ID.test(keyId)) throw new UsageError('--key-id must be letters, digits, dot, dash or underscore');
    io.out(`API key for tenant ${tenantId} (shown once; store it in the tenant's secret store):\n\n  ${key}\n\n`);
    io.out(`Add to the apiKeys list of the tenant file:\n\n`);
    io.out(`  - id: ${keyId}\n    sha256: ${sha256Hex(key)}\n${expires ? `    expiresAt: ${expires}\n` : ''}`);
    return 0;
  },
};
