import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Settings } from '../config/settings.js';
import { USER_AGENT } from '../version.js';
import { requestClientCredentialsToken } from './login-client.js';
import type { ReadSharing } from './read-sharing.js';
import { MemoryTokenCache, type TokenCache } from '../state/tokens/token-cache.js';
import { TokenManager } from './token-manager.js';
import { GenesysClient, openGenesysPool } from './upstream-client.js';

export interface GenesysConnection {
  readonly tokens: TokenManager;
  readonly client: GenesysClient;
  close(): Promise<void>;
}

export interface GenesysConnectionOptions {
  readonly logger: Logger;
  readonly tokenCache?: TokenCache;
  readonly readSharing?: ReadSharing;
  readonly onLogin?: (outcome: 'success' | 'failure') => void;
  readonly clock?: Clock;
}

/** The proxy's own way into Genesys: one pooled dispatcher, its token, and the API client on top. */
export function connectToGenesys(settings: Settings, options: GenesysConnectionOptions): GenesysConnection {
  const pool = openGenesysPool({ maxSockets: settings.upstreamMaxSockets, connectTimeoutMs: Math.min(settings.upstreamTimeoutMs, 10_000) });
  const tokens = new TokenManager({
    cache: options.tokenCache ?? new MemoryTokenCache(),
    login: () => requestClientCredentialsToken(settings.genesys, { pool, timeoutMs: Math.min(settings.upstreamTimeoutMs, 15_000) }),
    logger: options.logger,
    ...(options.clock ? { now: options.clock.now } : {}),
    ...(options.onLogin ? { onLogin: options.onLogin } : {}),
  });
  const client = new GenesysClient({
    apiUrl: settings.genesys.apiUrl,
    tokens,
    dispatcher: pool.dispatcher,
    ...(options.clock ? { clock: options.clock } : {}),
    timeoutMs: settings.upstreamTimeoutMs,
    maxBodyBytes: settings.maxUpstreamBodyBytes,
    userAgent: USER_AGENT,
    ...(options.readSharing ? { readSharing: options.readSharing } : {}),
  });
  return {
    tokens,
    client,
    async close() {
      tokens.close();
      await pool.close();
    },
  };
}
