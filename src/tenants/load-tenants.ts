import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { readClientSecret, SecretSourceError } from './client-secret.js';
import { tenantFileSchema } from './tenant-schema.js';
import type { Tenant, TenantClient } from './tenant.js';
import { TenantRegistry } from './tenant-registry.js';

export interface TenantConfigProblem {
  readonly file: string;
  readonly field: string;
  readonly message: string;
}

export class TenantConfigError extends Error {
  constructor(readonly problems: readonly TenantConfigProblem[]) {
    super(
      `Invalid tenant configuration:\n${problems
        .map((p) => `  - ${p.file}${p.field ? `: ${p.field}` : ''}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'TenantConfigError';
  }
}

const TENANT_FILE = /^[^._].*\.(ya?ml|json)$/i;

/**
 * Reads every tenant file in `dir` and returns the validated set, or throws a TenantConfigError
 * listing every problem (file and field) so an operator can fix them all in one pass.
 */
export async function loadTenantsFromDir(dir: string): Promise<TenantRegistry> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && TENANT_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new TenantConfigError([{ file: dir, field: '', message: `cannot read the tenants folder (${errno(error)})` }]);
  }
  const files = await Promise.all(
    names.map(async (name) => ({ file: path.join(dir, name), text: await readFile(path.join(dir, name), 'utf8') })),
  );
  return buildRegistry(files);
}

export function buildRegistry(files: readonly { file: string; text: string }[]): TenantRegistry {
  const problems: TenantConfigProblem[] = [];
  const tenants: Tenant[] = [];
  for (const { file, text } of files) {
    const tenant = parseTenantFile(file, text, problems);
    if (tenant) tenants.push(tenant);
  }
  problems.push(...crossFileProblems(tenants));
  if (problems.length > 0) throw new TenantConfigError(problems);
  return new TenantRegistry(tenants);
}

function parseTenantFile(file: string, text: string, problems: TenantConfigProblem[]): Tenant | undefined {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    for (const error of document.errors) problems.push({ file, field: '', message: `not valid YAML/JSON: ${error.message}` });
    return undefined;
  }
  const parsed = tenantFileSchema.safeParse(document.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ file, field: issue.path.join('.'), message: issue.message });
    return undefined;
  }
  const t = parsed.data;
  const genesysClient = t.genesys ? tenantClient(file, t.genesys, problems) : undefined;
  if (t.genesys && !genesysClient) return undefined;
  return {
    id: t.id,
    name: t.name,
    divisionIds: Object.freeze([...t.divisions]),
    divisions: new Set(t.divisions),
    access: t.access,
    requestsPerMinute: t.rateLimit?.requestsPerMinute,
    keys: Object.freeze(
      t.apiKeys.map((key) => ({
        id: key.id,
        tenantId: t.id,
        digest: Buffer.from(key.sha256, 'hex'),
        expiresAt: key.expiresAt,
      })),
    ),
    genesysClient,
    source: file,
  };
}

/** A secret file path is relative to the tenant file; the secret itself must be readable now. */
function tenantClient(file: string, block: { clientId: string; clientSecretFrom: { env: string } | { file: string } }, problems: TenantConfigProblem[]): TenantClient | undefined {
  const from = block.clientSecretFrom;
  const secretFrom = 'env' in from ? { env: from.env } : { file: path.resolve(path.dirname(file), from.file) };
  try {
    readClientSecret(secretFrom);
  } catch (error) {
    if (!(error instanceof SecretSourceError)) throw error;
    problems.push({ file, field: 'genesys.clientSecretFrom', message: error.message });
    return undefined;
  }
  return { clientId: block.clientId, secretFrom };
}

function crossFileProblems(tenants: readonly Tenant[]): TenantConfigProblem[] {
  const problems: TenantConfigProblem[] = [];
  const tenantIds = new Map<string, string>();
  const keyIds = new Map<string, string>();
  const digests = new Map<string, string>();
  const clientIds = new Map<string, string>();
  for (const tenant of tenants) {
    // One client per tenant: answers are partitioned by client, so a shared client would share them.
    const clientId = tenant.genesysClient?.clientId;
    if (clientId !== undefined) {
      const clientFile = clientIds.get(clientId);
      if (clientFile) problems.push({ file: tenant.source, field: 'genesys.clientId', message: `Genesys client "${clientId}" is already used in ${clientFile}` });
      else clientIds.set(clientId, tenant.source);
    }
    const firstFile = tenantIds.get(tenant.id);
    if (firstFile) problems.push({ file: tenant.source, field: 'id', message: `tenant id "${tenant.id}" is already used in ${firstFile}` });
    else tenantIds.set(tenant.id, tenant.source);
    tenant.keys.forEach((key, index) => {
      const keyIdFile = keyIds.get(key.id);
      if (keyIdFile) problems.push({ file: tenant.source, field: `apiKeys.${index}.id`, message: `key id "${key.id}" is already used in ${keyIdFile}` });
      else keyIds.set(key.id, tenant.source);
      const hex = key.digest.toString('hex');
      const digestOwner = digests.get(hex);
      if (digestOwner) problems.push({ file: tenant.source, field: `apiKeys.${index}.sha256`, message: `the same key hash is already listed for ${digestOwner}` });
      else digests.set(hex, `${tenant.source} (${key.id})`);
    });
  }
  return problems;
}

function errno(error: unknown): string {
  return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'unknown error';
}
