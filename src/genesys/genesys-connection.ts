import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Settings } from '../config/settings.js';
import { USER_AGENT } from '../version.js';
import { requestClientCredentialsToken } from './login-client.js';
import type { GenesysBudget } from '../state/rate-limits/genesys-budget.js';
import type { ReadSharing } from './read-sharing.js';
import { MemoryTokenCache, type TokenCache } from '../state/tokens/token-cache.js';
import { TenantClients } from './tenant-clients.js';
import { TokenManager } from './token-manager.js';
import { GenesysClient, openGenesysPool } from './upstream-client.js';

export interface GenesysConnection {
  readonly tokens: TokenManager;
  readonly client: GenesysClient;
  /** Tenants' own clients; a tenant without one uses `client`. */
  readonly tenantClients: TenantClients;
  close(): Promise<void>;
}

export interface GenesysConnectionOptions {
  readonly logger: Logger;
  readonly tokenCache?: TokenCache;
  readonly readSharing?: ReadSharing;
  /** A tenant client's token cache, keyed by its client id; default one in memory per client. */
  readonly tenantTokenCache?: (clientId: string) => TokenCache;
  /** Read sharing confined to one tenant client's answers. */
  readonly tenantReadSharing?: (clientId: string) => ReadSharing;
  readonly onLogin?: (outcome: 'success' | 'failure') => void;
  readonly onTenantLogin?: (clientId: string, outcome: 'success' | 'failure') => void;
  readonly clock?: Clock;
  /** The shared Genesys budget: every API call and every login is charged to it. */
  readonly budget?: GenesysBudget;
}

/** The proxy's own way into Genesys: one pooled dispatcher, its token, and the API client on top. */
export function connectToGenesys(settings: Settings, options: GenesysConnectionOptions): GenesysConnection {
  const pool = openGenesysPool({ maxSockets: settings.upstreamMaxSockets, connectTimeoutMs: Math.min(settings.upstreamTimeoutMs, 10_000) });
  const loginTimeoutMs = Math.min(settings.upstreamTimeoutMs, 15_000);
  const tokens = new TokenManager({
    cache: options.tokenCache ?? new MemoryTokenCache(),
    login: async () => {
      await options.budget?.charge({ kind: 'proxy', reason: 'token' });
      return requestClientCredentialsToken(settings.genesys, { pool, timeoutMs: loginTimeoutMs });
    },
    logger: options.logger,
    ...(options.clock ? { now: options.clock.now } : {}),
    ...(options.onLogin ? { onLogin: options.onLogin } : {}),
  });
  const apiClient = (clientTokens: TokenManager, readSharing: ReadSharing | undefined, budgetKey?: string) =>
    new GenesysClient({
      apiUrl: settings.genesys.apiUrl,
      tokens: clientTokens,
      dispatcher: pool.dispatcher,
      ...(options.clock ? { clock: options.clock } : {}),
      timeoutMs: settings.upstreamTimeoutMs,
      maxBodyBytes: settings.maxUpstreamBodyBytes,
      streamThresholdBytes: settings.streamThresholdBytes,
      userAgent: USER_AGENT,
      ...(readSharing ? { readSharing } : {}),
      ...(options.budget ? { budget: options.budget } : {}),
      ...(budgetKey !== undefined ? { budgetKey } : {}),
    });
  const client = apiClient(tokens, options.readSharing);
  const tenantClients = new TenantClients({
    pool,
    loginUrl: settings.genesys.loginUrl,
    loginTimeoutMs,
    logger: options.logger,
    proxy: client,
    apiClient,
    tokenCache: options.tenantTokenCache ?? (() => new MemoryTokenCache()),
    ...(options.tenantReadSharing ? { readSharing: options.tenantReadSharing } : {}),
    ...(options.clock ? { now: options.clock.now } : {}),
    ...(options.onTenantLogin ? { onLogin: options.onTenantLogin } : {}),
  });
  return {
    tokens,
    client,
    tenantClients,
    async close() {
      tokens.close();
      tenantClients.close();
      await pool.close();
    },
  };
}
