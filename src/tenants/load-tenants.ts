import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { readClientSecret, SecretSourceError } from './client-secret.js';
import { type IgnoredEntry, listTenantFolder } from './tenant-folder.js';
import { apiKeySchema, tenantFileSchema } from './tenant-schema.js';
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

export interface TenantFolderReport {
  readonly registry: TenantRegistry;
  /** The tenant files read, in order. */
  readonly read: readonly string[];
  /** Entries of the folder that were not read, with why. */
  readonly ignored: readonly IgnoredEntry[];
}

/**
 * Reads every tenant file in `dir` and returns the validated set, or throws a TenantConfigError
 * listing every problem (file and field) so an operator can fix them all in one pass.
 */
export async function loadTenantsFromDir(dir: string): Promise<TenantRegistry> {
  return (await readTenantFolder(dir)).registry;
}

/** As loadTenantsFromDir, and says which files it read and which it ignored (for `validate`). */
export async function readTenantFolder(dir: string): Promise<TenantFolderReport> {
  let listing;
  try {
    listing = await listTenantFolder(dir);
  } catch (error) {
    throw new TenantConfigError([{ file: dir, field: '', message: `cannot read the tenants folder (${errno(error)})` }]);
  }
  const files = await Promise.all(
    listing.files.map(async ({ file, realFile }) => ({ file, text: await readFile(realFile, 'utf8') })),
  );
  const refused = listing.refused.map((entry) => ({ file: entry.file, field: '', message: entry.reason }));
  const registry = buildRegistry(files, refused);
  return { registry, read: files.map((f) => f.file), ignored: listing.ignored };
}

export function buildRegistry(files: readonly { file: string; text: string }[], earlier: readonly TenantConfigProblem[] = []): TenantRegistry {
  const problems: TenantConfigProblem[] = [...earlier];
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
  const lines = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return '';
    const { line, col } = lines.linePos(offset);
    return ` (line ${line}, column ${col})`;
  };
  if (document.errors.length > 0) {
    for (const error of document.errors) problems.push({ file, field: '', message: `not valid YAML/JSON${at(error.pos[0])}: ${error.message}` });
    return undefined;
  }
  const parsed = tenantFileSchema.safeParse(document.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = (path: readonly PropertyKey[]) => at(nodeOffset(document, path));
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          const offset = at(keyOffset(document, issue.path, key));
          problems.push({ file, field: path.join('.'), message: `is not a field of a tenant file${offset}; the fields are ${fieldsAt(issue.path)}` });
        }
      } else {
        problems.push({ file, field: issue.path.join('.'), message: `${issue.message}${where(issue.path)}` });
      }
    }
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

function nodeOffset(document: Document, path: readonly PropertyKey[]): number | undefined {
  const node = path.length === 0 ? document.contents : document.getIn(path as unknown[], true);
  return isNode(node) ? node.range?.[0] : undefined;
}

function keyOffset(document: Document, path: readonly PropertyKey[], key: string): number | undefined {
  const map = path.length === 0 ? document.contents : document.getIn(path as unknown[], true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}

/** The fields allowed where an unknown one was found: the file itself, a key entry or rateLimit. */
function fieldsAt(path: readonly PropertyKey[]): string {
  if (path[0] === 'apiKeys') return Object.keys(apiKeySchema.shape).join(', ');
  if (path[0] === 'rateLimit') return 'requestsPerMinute';
  if (path[0] === 'genesys') return 'clientId, clientSecretFrom';
  return Object.keys(tenantFileSchema.shape).join(', ');
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
