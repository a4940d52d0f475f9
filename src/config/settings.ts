import { z } from 'zod';

/** A setting given in the environment is a string; these turn it into a typed value or a clear error. */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const tokenSecret = z
  .string()
  .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes (for example 48 random bytes as base64)');

const envSchema = z
  .object({
    PORT: integer(0, 65535).default(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    GENESYS_REGION: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a Genesys domain such as mypurecloud.com')
        .optional(),
    ),
    GENESYS_API_URL: z.preprocess(blankToUndefined, httpUrl.optional()),
    GENESYS_LOGIN_URL: z.preprocess(blankToUndefined, httpUrl.optional()),
    GENESYS_CLIENT_ID: z.string().min(1, 'is required'),
    GENESYS_CLIENT_SECRET: z.string().min(1, 'is required'),
    TENANTS_DIR: z.string().min(1).default('config/tenants'),
    REDIS_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^rediss?$/, message: 'must be a redis:// URL' }).optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    UPSTREAM_TIMEOUT_MS: integer(100, 600_000).default(30_000),
    UPSTREAM_MAX_SOCKETS: integer(1, 4096).default(128),
    MAX_UPSTREAM_BODY_BYTES: integer(1024, 1024 ** 3).default(32 * 1024 * 1024),
    MAX_REQUEST_BODY_BYTES: integer(1024, 64 * 1024 * 1024).default(512_000),
    METRICS_PORT: integer(0, 65535).default(9464),
    READ_CACHE_TTL_MS: integer(0, 300_000).default(0),
    DETAILS_SCAN_MAX_CONVERSATIONS: integer(100, 1_000_000).default(10_000),
    REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.{}-]{1,64}$/, 'must be 1-64 characters of letters, digits and : _ . { } -').default('gdp:'),
    REDIS_COMMAND_TIMEOUT_MS: integer(10, 10_000).default(150),
    UPSTREAM_REQUESTS_PER_MINUTE: integer(1, 1_000_000).default(300),
    UPSTREAM_RESERVE_FRACTION: z.coerce.number().min(0).max(0.9).default(0.25),
    DEFAULT_TENANT_REQUESTS_PER_MINUTE: integer(1, 1_000_000).default(600),
    REPLICA_COUNT: integer(1, 1000).default(1),
    SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
    TENANTS_RELOAD_INTERVAL_MS: integer(100, 3_600_000).default(2_000),
    TENANT_TOKEN_SECRET: z.preprocess(blankToUndefined, tokenSecret.optional()),
    TENANT_TOKEN_PREVIOUS_SECRETS: z.preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
      z.array(tokenSecret).default([]),
    ),
    TENANT_TOKEN_TTL_SECONDS: integer(60, 86_400).default(3_600),
  })
  .superRefine((env, ctx) => {
    for (const name of ['GENESYS_API_URL', 'GENESYS_LOGIN_URL'] as const) {
      if (!env[name] && !env.GENESYS_REGION) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when GENESYS_REGION is not set' });
      }
    }
  });

/** Every environment variable the proxy reads (the deployment manifests are checked against it). */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly genesys: {
    readonly apiUrl: string;
    readonly loginUrl: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  readonly tenantsDir: string;
  readonly redisUrl: string | undefined;
  readonly redisKeyPrefix: string;
  readonly redisCommandTimeoutMs: number;
  readonly rateLimits: {
    /** The one Genesys budget every tenant and replica shares. */
    readonly upstreamPerMinute: number;
    readonly reserveFraction: number;
    readonly defaultTenantPerMinute: number;
    /** Replicas behind the load balancer: divides the limits when Redis is down. */
    readonly replicaCount: number;
  };
  readonly logLevel: string;
  readonly upstreamTimeoutMs: number;
  readonly upstreamMaxSockets: number;
  readonly maxUpstreamBodyBytes: number;
  readonly maxRequestBodyBytes: number;
  /** How long identical Genesys reads are answered from the cache; 0 (default) turns it off. */
  readonly readCacheTtlMs: number;
  /** DETAILS_SCAN_MAX_CONVERSATIONS: the most conversations one details query may make the proxy read. */
  readonly detailsScanMaxConversations: number;
  /** Port of the operations listener (/metrics, /healthz, /readyz); 0 turns it off. */
  readonly metricsPort: number;
  readonly shutdownTimeoutMs: number;
  readonly tenantsReloadIntervalMs: number;
  readonly tenantTokens: {
    /** HS256 secret for the tokens the proxy issues; unset means a random one per process. */
    readonly secret: string | undefined;
    /** Secrets still accepted for verification while a rotation is under way. */
    readonly previousSecrets: readonly string[];
    readonly ttlSeconds: number;
  };
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** Parses the environment once at start; throws a SettingsError naming every bad variable. */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    genesys: Object.freeze({
      apiUrl: e.GENESYS_API_URL ?? `https://api.${e.GENESYS_REGION}`,
      loginUrl: e.GENESYS_LOGIN_URL ?? `https://login.${e.GENESYS_REGION}`,
      clientId: e.GENESYS_CLIENT_ID,
      clientSecret: e.GENESYS_CLIENT_SECRET,
    }),
    tenantsDir: e.TENANTS_DIR,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    rateLimits: Object.freeze({
      upstreamPerMinute: e.UPSTREAM_REQUESTS_PER_MINUTE,
      reserveFraction: e.UPSTREAM_RESERVE_FRACTION,
      defaultTenantPerMinute: e.DEFAULT_TENANT_REQUESTS_PER_MINUTE,
      replicaCount: e.REPLICA_COUNT,
    }),
    logLevel: e.LOG_LEVEL,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    upstreamMaxSockets: e.UPSTREAM_MAX_SOCKETS,
    maxUpstreamBodyBytes: e.MAX_UPSTREAM_BODY_BYTES,
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    readCacheTtlMs: e.READ_CACHE_TTL_MS,
    detailsScanMaxConversations: e.DETAILS_SCAN_MAX_CONVERSATIONS,
    metricsPort: e.METRICS_PORT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    tenantsReloadIntervalMs: e.TENANTS_RELOAD_INTERVAL_MS,
    tenantTokens: Object.freeze({
      secret: e.TENANT_TOKEN_SECRET,
      previousSecrets: Object.freeze([...e.TENANT_TOKEN_PREVIOUS_SECRETS]),
      ttlSeconds: e.TENANT_TOKEN_TTL_SECONDS,
    }),
  });
}

/** The settings as safe to log: secrets masked, credentials stripped from URLs. */
export function describeSettings(settings: Settings): Record<string, unknown> {
  return {
    port: settings.port,
    host: settings.host,
    genesysApiUrl: settings.genesys.apiUrl,
    genesysLoginUrl: settings.genesys.loginUrl,
    genesysClientId: settings.genesys.clientId,
    genesysClientSecret: '********',
    tenantsDir: settings.tenantsDir,
    redisUrl: settings.redisUrl ? maskUrlCredentials(settings.redisUrl) : undefined,
    redisKeyPrefix: settings.redisKeyPrefix,
    redisCommandTimeoutMs: settings.redisCommandTimeoutMs,
    rateLimits: settings.rateLimits,
    logLevel: settings.logLevel,
    upstreamTimeoutMs: settings.upstreamTimeoutMs,
    upstreamMaxSockets: settings.upstreamMaxSockets,
    maxUpstreamBodyBytes: settings.maxUpstreamBodyBytes,
    maxRequestBodyBytes: settings.maxRequestBodyBytes,
    readCacheTtlMs: settings.readCacheTtlMs,
    detailsScanMaxConversations: settings.detailsScanMaxConversations,
    metricsPort: settings.metricsPort,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    tenantsReloadIntervalMs: settings.tenantsReloadIntervalMs,
    tenantTokenSecret: settings.tenantTokens.secret === undefined ? undefined : '********',
    tenantTokenPreviousSecrets: settings.tenantTokens.previousSecrets.map(() => '********'),
    tenantTokenTtlSeconds: settings.tenantTokens.ttlSeconds,
  };
}

function maskUrlCredentials(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = '********';
  return url.toString();
}
