import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Tenant } from '../tenants/tenant.js';
import { parseUpstreamJson } from './json-response.js';
import type { TenantClients } from './tenant-clients.js';
import type { GenesysSender } from './upstream-client.js';

/** What one tenant client sees compared with what its tenant file says it should. */
export interface ClientDivisionsResult {
  readonly tenantId: string;
  readonly clientId: string;
  /** Divisions the client's token sees that the file does not list: the client is granted too much. */
  readonly extra: readonly string[];
  /** Divisions the file lists that the client's token does not see: requests will miss data. */
  readonly missing: readonly string[];
  /** Set when the divisions could not be listed (login refused, Genesys down). */
  readonly error?: string;
}

export interface ClientDivisionsCheckOptions {
  readonly clients: TenantClients;
  readonly logger: Logger;
  /** Told the result of every tenant client after each check, for metrics. */
  readonly onResults?: (results: readonly ClientDivisionsResult[]) => void;
}

const PAGE_SIZE = 100;
/** 100 pages of 100: far beyond any org's divisions; a guard against a paging loop. */
const MAX_PAGES = 100;

/**
 * At start and after each reload, asks Genesys which divisions each tenant client's token sees
 * (`GET /api/v2/authorization/divisions` with that token) and compares them with the tenant file.
 * A client that sees more than its file says is granted too much in Genesys admin: the native
 * boundary is wider than the proxy's, and worth an alert.
 */
export class ClientDivisionsCheck {
  readonly #options: ClientDivisionsCheckOptions;
  #results: readonly ClientDivisionsResult[] = [];
  #running: Promise<readonly ClientDivisionsResult[]> | undefined;

  constructor(options: ClientDivisionsCheckOptions) {
    this.#options = options;
  }

  get results(): readonly ClientDivisionsResult[] {
    return this.#results;
  }

  /** Keeps the tenants' clients in step with the tenant set and checks each of them. */
  run(tenants: readonly Tenant[]): Promise<readonly ClientDivisionsResult[]> {
    const running = (this.#running ?? Promise.resolve()).then(() => this.#check(tenants));
    this.#running = running.catch(() => []);
    return running;
  }

  /** Resolves once the checks started so far are done (for shutdown). */
  async settled(): Promise<void> {
    await this.#running;
  }

  /** A readiness detail without tenant names (`/readyz` needs no credential). */
  readinessReason(): string | undefined {
    const mismatched = this.#results.filter((result) => result.extra.length > 0 || result.missing.length > 0).length;
    const failed = this.#results.filter((result) => result.error !== undefined).length;
    const reasons = [
      ...(mismatched > 0 ? [`${mismatched} tenant client(s) see divisions other than their tenant file's`] : []),
      ...(failed > 0 ? [`${failed} tenant client(s) could not be checked`] : []),
    ];
    return reasons.length > 0 ? reasons.join('; ') : undefined;
  }

  async #check(tenants: readonly Tenant[]): Promise<readonly ClientDivisionsResult[]> {
    const { clients, logger } = this.#options;
    clients.sync(tenants);
    const results = await Promise.all(
      tenants.flatMap((tenant) => (tenant.genesysClient ? [compare(tenant, clients.senderFor(tenant), tenant.genesysClient.clientId)] : [])),
    );
    for (const result of results) {
      const fields = { tenant: result.tenantId, genesysClient: result.clientId };
      if (result.error !== undefined) logger.warn({ ...fields, reason: result.error }, 'could not check the divisions a tenant client sees');
      else if (result.extra.length > 0 || result.missing.length > 0) {
        logger.error({ ...fields, extraDivisions: result.extra, missingDivisions: result.missing }, 'a tenant client sees divisions other than its tenant file lists');
      } else logger.info(fields, 'tenant client sees exactly its tenant file’s divisions');
    }
    this.#results = results;
    this.#options.onResults?.(results);
    return results;
  }
}

async function compare(tenant: Tenant, sender: GenesysSender, clientId: string): Promise<ClientDivisionsResult> {
  try {
    const visible = await visibleDivisions(sender);
    return {
      tenantId: tenant.id,
      clientId,
      extra: [...visible].filter((id) => !tenant.divisions.has(id)).sort(),
      missing: tenant.divisionIds.filter((id) => !visible.has(id)),
    };
  } catch (error) {
    return { tenantId: tenant.id, clientId, extra: [], missing: [], error: error instanceof Error ? error.message : 'check failed' };
  }
}

/** Every division a client's token sees, page by page. */
export async function visibleDivisions(sender: GenesysSender): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const response = await sender.send({
      method: 'GET',
      pathAndQuery: `/api/v2/authorization/divisions?pageSize=${PAGE_SIZE}&pageNumber=${page}`,
      correlationId: randomUUID(),
    });
    if (response.status !== 200) throw new Error(`Genesys answered ${response.status} to the division listing`);
    const body = parseUpstreamJson(response.body, response.headers['content-type']) as { entities?: unknown; pageCount?: unknown };
    if (!Array.isArray(body.entities)) throw new Error('the division listing has no entities');
    for (const entity of body.entities as unknown[]) {
      const id = (entity as { id?: unknown } | null)?.id;
      if (typeof id === 'string') seen.add(id);
    }
    const pageCount = typeof body.pageCount === 'number' ? body.pageCount : 1;
    if (page >= pageCount || body.entities.length === 0) return seen;
  }
  return seen;
}
