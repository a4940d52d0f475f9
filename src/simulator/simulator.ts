import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { AgentStates } from './agent-states.js';
import { indexConversation } from './analytics-conversations.js';
import { apiRoutes, buildApp } from './app.js';
import { divisionView } from './division-view.js';
import type { ResolvedOptions } from './context.js';
import { FaultController } from './faults.js';
import { JobStore } from './jobs.js';
import { SimNotifications, type NotificationOptions } from './notifications.js';
import { SeededOrg } from './org.js';
import { RequestLog } from './request-log.js';
import type { SeedOptions } from './seed-org.js';
import { TimerSet } from './timers.js';
import { TokenRateLimiter, TokenStore } from './tokens.js';

export interface SimulatorOptions {
  /** Default 'sim-client-id'. */
  clientId?: string;
  /** Default 'sim-client-secret'. */
  clientSecret?: string;
  /** Default 86399. */
  tokenTtlSeconds?: number;
  /** The clock tokens expire and rate windows turn by; default the system's. */
  now?: () => number;
  seed?: Partial<SeedOptions>;
  /** Cap for /routing/queues, /users and /authorization/divisions (clamped, not rejected). Default 100. */
  maxPageSize?: number;
  /** Default false: Genesys is believed to ignore unknown query parameters. */
  rejectUnknownQueryParams?: boolean;
  /** Default unlimited; when set, 429 with Retry-After and inin-ratelimit-* headers. */
  requestsPerMinutePerToken?: number;
  /** Async details jobs answer PENDING to this many status polls before FULFILLED. Default 0. */
  jobPollsUntilFulfilled?: number;
  /** Leave out `conversations`/`results` when empty, as Genesys does. Default true. */
  omitEmptyAnalyticsResults?: boolean;
  /** Also accept client_id/client_secret form fields at /oauth/token. Default false. */
  acceptCredentialsInBody?: boolean;
  /** Record requests from the start. Default true; see `requestLog.setEnabled`. */
  logRequests?: boolean;
  /** The notification service's undocumented parts. */
  notifications?: NotificationOptions;
  /** More OAuth clients, each with roles granted only in some divisions (see `addClient`). */
  clients?: readonly ScopedClient[];
}

/** A client-credentials client whose roles are granted only in these divisions (`roleDivisions`). */
export interface ScopedClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly roleDivisions: readonly string[];
}

export interface RunningSimulator {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Simulator {
  readonly app: Express;
  readonly org: SeededOrg;
  readonly requestLog: RequestLog;
  readonly faults: FaultController;
  /** Agents' presence and routing status; changing one sends notification events. */
  readonly agents: AgentStates;
  /** Notification channels and sockets, events and socket faults. */
  readonly notifications: SimNotifications;
  readonly tokens: { issuedCount(clientId?: string): number; revokeAll(): void; isValid(token: string): boolean };
  /** Adds (or replaces) a client whose token sees only the entities of its role divisions, on every route. */
  addClient(client: ScopedClient): void;
  listen(port?: number, host?: string): Promise<RunningSimulator>;
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, got ${value}`);
  return value;
}

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  return {
    clientId: options.clientId ?? 'sim-client-id',
    clientSecret: options.clientSecret ?? 'sim-client-secret',
    tokenTtlSeconds: positiveInteger('tokenTtlSeconds', options.tokenTtlSeconds, 86399),
    maxPageSize: positiveInteger('maxPageSize', options.maxPageSize, 100),
    rejectUnknownQueryParams: options.rejectUnknownQueryParams ?? false,
    requestsPerMinutePerToken: options.requestsPerMinutePerToken === undefined ? undefined : positiveInteger('requestsPerMinutePerToken', options.requestsPerMinutePerToken, 0),
    jobPollsUntilFulfilled: positiveInteger('jobPollsUntilFulfilled', options.jobPollsUntilFulfilled, 0, 0),
    omitEmptyAnalyticsResults: options.omitEmptyAnalyticsResults ?? true,
    acceptCredentialsInBody: options.acceptCredentialsInBody ?? false,
  };
}

/** A Genesys Cloud stand-in with a deterministic org, for tests, the demo and benchmarks. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const resolved = resolveOptions(options);
  const org = new SeededOrg(options.seed);
  const faults = new FaultController();
  const requestLog = new RequestLog();
  requestLog.setEnabled(options.logRequests ?? true);
  const tokens = new TokenStore(resolved.tokenTtlSeconds, options.now);
  const timers = new TimerSet();
  const agents = new AgentStates();
  const notifications = new SimNotifications(org, agents, options.notifications);
  const context = {
    org,
    options: resolved,
    faults,
    jobs: new JobStore(resolved.jobPollsUntilFulfilled),
    conversations: org.conversations.map(indexConversation),
    agents,
    notifications,
  };
  const limiter = resolved.requestsPerMinutePerToken === undefined ? undefined : new TokenRateLimiter(resolved.requestsPerMinutePerToken, options.now);
  const clients = new Map<string, { readonly client: ScopedClient; routes?: ReturnType<typeof apiRoutes> }>();
  const addClient = (client: ScopedClient) => {
    if (client.clientId === resolved.clientId) throw new Error('a scoped client needs its own client id');
    clients.set(client.clientId, { client });
  };
  for (const client of options.clients ?? []) addClient(client);
  const routesFor = (clientId: string | undefined) => {
    const entry = clientId === undefined ? undefined : clients.get(clientId);
    if (!entry) return undefined;
    if (!entry.routes) {
      const view = divisionView(org, new Set(entry.client.roleDivisions));
      entry.routes = apiRoutes({ ...context, org: view, conversations: context.conversations.filter((c) => view.conversation(c.conversation.conversationId)) });
    }
    return entry.routes;
  };
  const app = buildApp({
    context,
    tokens,
    limiter,
    requestLog,
    timers,
    scopedClients: { lookup: (clientId) => clients.get(clientId)?.client, routesFor },
  });

  return {
    app,
    org,
    requestLog,
    faults,
    agents,
    notifications,
    tokens: {
      issuedCount: (clientId) => tokens.issuedCount(clientId),
      revokeAll: () => tokens.revokeAll(),
      isValid: (token) => tokens.isValid(token),
    },
    addClient,
    listen: (port = 0, host = '127.0.0.1') => listen(app, timers, notifications, port, host),
  };
}

function listen(app: Express, timers: TimerSet, notifications: SimNotifications, port: number, host: string): Promise<RunningSimulator> {
  const server = http.createServer(app);
  server.on('upgrade', (req, socket, head) => notifications.handleUpgrade(req, socket, head));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
        port: bound,
        close() {
          closing ??= new Promise<void>((done) => {
            timers.clearAll();
            notifications.close();
            server.close(() => done());
            // Keep-alive sockets would hold close() open for seconds.
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
