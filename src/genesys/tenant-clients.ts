import type { Logger } from 'pino';
import type { TokenCache } from '../state/tokens/token-cache.js';
import { readClientSecret } from '../tenants/client-secret.js';
import type { SecretSource, Tenant, TenantClient } from '../tenants/tenant.js';
import type { GenesysClient, GenesysPool, GenesysSender } from './upstream-client.js';
import type { ReadSharing } from './read-sharing.js';
import { requestClientCredentialsToken } from './login-client.js';
import { TokenManager } from './token-manager.js';

/** One tenant's own way into Genesys: its token and the API client that uses it. */
export interface TenantConnection {
  readonly clientId: string;
  readonly tokens: TokenManager;
  readonly client: GenesysClient;
}

export interface TenantClientsOptions {
  readonly pool: GenesysPool;
  readonly loginUrl: string;
  readonly loginTimeoutMs: number;
  readonly logger: Logger;
  /** The proxy's own client: tenants without a client of their own, and directory loads. */
  readonly proxy: GenesysSender;
  /** Builds a tenant client's API client around its token (same pool, timeouts and caps as the proxy's). */
  readonly apiClient: (tokens: TokenManager, readSharing: ReadSharing | undefined, budgetKey?: string) => GenesysClient;
  /** The token cache of one client, keyed by its id (shared by replicas through Redis). */
  readonly tokenCache: (clientId: string) => TokenCache;
  /** Read sharing confined to one client's answers; absent: no sharing. */
  readonly readSharing?: (clientId: string) => ReadSharing;
  readonly now?: () => number;
  readonly onLogin?: (clientId: string, outcome: 'success' | 'failure') => void;
  /** Reads a secret at login; tests pass a fake. */
  readonly readSecret?: (source: SecretSource) => string;
}

/**
 * The Genesys clients of the tenants that have their own: each with its own cached, single-flight,
 * renewed-ahead token, 401 handling and back-off (a TokenManager per client). A tenant's request
 * goes out with its own client's token, so Genesys itself bounds what it can see; the entry follows
 * the tenant file, so a reload that changes the block takes effect for the next request.
 */
export class TenantClients {
  readonly #options: TenantClientsOptions;
  readonly #byClientId = new Map<string, { readonly config: string; readonly connection: TenantConnection }>();

  constructor(options: TenantClientsOptions) {
    this.#options = options;
  }

  /** The sender a tenant's request uses: its own client's, or the proxy's. */
  senderFor(tenant: Pick<Tenant, 'genesysClient'>): GenesysSender {
    return tenant.genesysClient ? this.connectionFor(tenant.genesysClient).client : this.#options.proxy;
  }

  connectionFor(client: TenantClient): TenantConnection {
    const config = JSON.stringify(client.secretFrom);
    const existing = this.#byClientId.get(client.clientId);
    if (existing?.config === config) return existing.connection;
    existing?.connection.tokens.close();
    const connection = this.#connect(client);
    this.#byClientId.set(client.clientId, { config, connection });
    return connection;
  }

  /** Keeps the clients of these tenants (creating missing ones) and closes the others. */
  sync(tenants: readonly Pick<Tenant, 'genesysClient'>[]): TenantConnection[] {
    const wanted = new Set<string>();
    const connections = tenants.flatMap((tenant) => {
      if (!tenant.genesysClient) return [];
      wanted.add(tenant.genesysClient.clientId);
      return [this.connectionFor(tenant.genesysClient)];
    });
    for (const [clientId, entry] of this.#byClientId) {
      if (wanted.has(clientId)) continue;
      entry.connection.tokens.close();
      this.#byClientId.delete(clientId);
    }
    return connections;
  }

  close(): void {
    for (const entry of this.#byClientId.values()) entry.connection.tokens.close();
    this.#byClientId.clear();
  }

  #connect(client: TenantClient): TenantConnection {
    const { pool, loginUrl, loginTimeoutMs, logger, now, onLogin } = this.#options;
    const readSecret = this.#options.readSecret ?? ((source: SecretSource) => readClientSecret(source));
    const tokens = new TokenManager({
      cache: this.#options.tokenCache(client.clientId),
      login: async () =>
        requestClientCredentialsToken({ loginUrl, clientId: client.clientId, clientSecret: readSecret(client.secretFrom) }, { pool, timeoutMs: loginTimeoutMs }),
      logger: logger.child({ genesysClient: client.clientId }),
      ...(now ? { now } : {}),
      ...(onLogin ? { onLogin: (outcome: 'success' | 'failure') => onLogin(client.clientId, outcome) } : {}),
    });
    return { clientId: client.clientId, tokens, client: this.#options.apiClient(tokens, this.#options.readSharing?.(client.clientId), client.clientId) };
  }
}
