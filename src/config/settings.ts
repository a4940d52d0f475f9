import { z } from 'zod';
import { isPlaceholder } from './placeholders.js';

/**
 * A setting given in the environment is a string; these turn it into a typed value or a clear
 * error. Each one carries, as its description, what a good value looks like: the settings report
 * prints it next to the problem.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const notPlaceholder = (what: string) => (value: string) => !isPlaceholder(value) || `is still the placeholder text; set the real ${what}`;
const refineAll = <T>(schema: z.ZodType<T>, rules: ((value: string) => true | string)[]) =>
  (schema as z.ZodType<string>).superRefine((value, ctx) => {
    for (const rule of rules) {
      const verdict = rule(value);
      if (verdict !== true) ctx.addIssue({ code: 'custom', message: verdict });
    }
  });
/** `host:port,host:port`: the Sentinels, or the Cluster nodes to learn the cluster from. */
const redisNodes = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
  z
    .array(
      z
        .string()
        .regex(/^[^\s:,/]+:\d{1,5}$/, 'must be a comma-separated list of host:port')
        .transform((value) => {
          const at = value.lastIndexOf(':');
          return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
        }),
    )
    .min(1, 'must name at least one host:port'),
);
const optionalSecret = z.preprocess(blankToUndefined, z.string().optional());
const tokenSecret = refineAll(z.string(), [
  (value) => Buffer.byteLength(value, 'utf8') >= 32 || 'must be at least 32 bytes',
  notPlaceholder('secret'),
]);

const envSchema = z.object({
  PORT: integer(0, 65535).default(8080).describe('a free TCP port, e.g. 8080'),
  HOST: z.string().min(1).default('0.0.0.0').describe('an address to listen on, e.g. 0.0.0.0 or 127.0.0.1'),
  GENESYS_REGION: z
    .preprocess(blankToUndefined, z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a Genesys domain').optional())
    .describe('the org’s Genesys domain, e.g. mypurecloud.com, mypurecloud.ie or usw2.pure.cloud'),
  GENESYS_API_URL: z.preprocess(blankToUndefined, httpUrl.optional()).describe('e.g. https://api.mypurecloud.com'),
  GENESYS_LOGIN_URL: z.preprocess(blankToUndefined, httpUrl.optional()).describe('e.g. https://login.mypurecloud.com'),
  GENESYS_CLIENT_ID: refineAll(z.string({ message: 'is required' }).min(1, 'is required'), [notPlaceholder('client id')]).describe(
    'the client id of the proxy’s own Genesys OAuth client (client credentials), a UUID',
  ),
  GENESYS_CLIENT_SECRET: refineAll(z.string({ message: 'is required' }).min(1, 'is required'), [notPlaceholder('client secret')]).describe(
    'the secret of that OAuth client, from Genesys Admin > Integrations > OAuth',
  ),
  TENANTS_DIR: z.string().min(1).default('config/tenants').describe('a folder of tenant files, e.g. /etc/genesys-division-proxy/tenants'),
  REDIS_URL: z
    .preprocess(blankToUndefined, z.url({ protocol: /^rediss?$/, message: 'must be a redis:// URL' }).optional())
    .describe('e.g. redis://redis:6379 or rediss://user:password@host:6380, or unset for one replica'),
  REDIS_SENTINELS: z.preprocess(blankToUndefined, redisNodes.optional()).describe('the Sentinels as host:port,host:port, e.g. sentinel-0:26379,sentinel-1:26379'),
  REDIS_SENTINEL_NAME: z.preprocess(blankToUndefined, z.string().min(1).optional()).describe('the name of the Sentinel-managed primary, e.g. mymaster'),
  REDIS_SENTINEL_PASSWORD: optionalSecret.describe('the Sentinels’ own password, if they have one'),
  REDIS_CLUSTER_NODES: z.preprocess(blankToUndefined, redisNodes.optional()).describe('some Cluster nodes as host:port,host:port, e.g. redis-0:6379,redis-1:6379'),
  REDIS_PASSWORD: optionalSecret.describe('the password of the Redis nodes (with Sentinel or Cluster, or a REDIS_URL without one)'),
  REDIS_TLS: z.preprocess(blankToUndefined, z.stringbool().default(false)).describe('true or false (TLS to the Sentinels and Cluster nodes)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('one of fatal, error, warn, info, debug, trace, silent'),
  UPSTREAM_TIMEOUT_MS: integer(100, 600_000).default(30_000).describe('milliseconds from 100 to 600000, e.g. 30000'),
  UPSTREAM_MAX_SOCKETS: integer(1, 4096).default(128).describe('a number from 1 to 4096, e.g. 128'),
  MAX_UPSTREAM_BODY_BYTES: integer(1024, 1024 ** 3).default(32 * 1024 * 1024).describe('bytes from 1024 to 1073741824, e.g. 33554432'),
  STREAM_THRESHOLD_BYTES: integer(1024, 1024 ** 3).default(1024 * 1024).describe('bytes from 1024 to 1073741824, e.g. 1048576'),
  SCOPE_ON_BYTES: z.preprocess(blankToUndefined, z.stringbool().default(true)).describe('true or false (false parses every answer with the reference scoper)'),
  MAX_REQUEST_BODY_BYTES: integer(1024, 64 * 1024 * 1024).default(512_000).describe('bytes from 1024 to 67108864, e.g. 512000'),
  METRICS_PORT: integer(0, 65535).default(9464).describe('a free TCP port other than PORT, e.g. 9464, or 0 to turn the operations listener off'),
  READ_CACHE_TTL_MS: integer(0, 300_000).default(0).describe('milliseconds from 0 (off) to 300000, e.g. 2000'),
  DETAILS_SCAN_MAX_CONVERSATIONS: integer(100, 1_000_000).default(10_000).describe('a number from 100 to 1000000, e.g. 10000'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.{}-]{1,64}$/, 'must be 1-64 characters of letters, digits and : _ . { } -')
    // Redis Cluster hashes a whole key whose first `{` closes at once, which would split the key groups.
    .refine((value) => !value.includes('{}'), 'must not contain an empty hash tag {}')
    .default('gdp:')
    .describe('e.g. gdp: or gdp-staging:'),
  REDIS_COMMAND_TIMEOUT_MS: integer(10, 10_000).default(150).describe('milliseconds from 10 to 10000, e.g. 150'),
  UPSTREAM_REQUESTS_PER_MINUTE: integer(1, 1_000_000).default(300).describe('a number from 1 to 1000000, e.g. 300'),
  UPSTREAM_RESERVE_FRACTION: z.coerce.number().min(0).max(0.9).default(0.25).describe('a fraction from 0 to 0.9, e.g. 0.25'),
  DEFAULT_TENANT_REQUESTS_PER_MINUTE: integer(1, 1_000_000).default(600).describe('a number from 1 to 1000000, e.g. 600'),
  REPLICA_COUNT: integer(1, 1000).default(1).describe('the number of replicas, from 1 to 1000, e.g. 2'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000).describe('milliseconds from 0 to 600000, e.g. 10000'),
  TENANTS_RELOAD_INTERVAL_MS: integer(100, 3_600_000).default(2_000).describe('milliseconds from 100 to 3600000, e.g. 2000'),
  TENANT_TOKEN_SECRET: z
    .preprocess(blankToUndefined, tokenSecret.optional())
    .describe('at least 32 random bytes, e.g. the output of `openssl rand -base64 48`'),
  TENANT_TOKEN_PREVIOUS_SECRETS: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
      z.array(tokenSecret).default([]),
    )
    .describe('former values of TENANT_TOKEN_SECRET, comma-separated, each at least 32 bytes'),
  TENANT_TOKEN_TTL_SECONDS: integer(60, 86_400).default(3_600).describe('seconds from 60 to 86400, e.g. 3600'),
  NOTIFICATION_CHANNELS_PER_KEY: integer(1, 1_000).default(20).describe('a number from 1 to 1000, e.g. 20 (Genesys’s own per user and app)'),
  NOTIFICATION_TOPICS_PER_CHANNEL: integer(1, 100_000).default(1_000).describe('a number from 1 to 100000, e.g. 1000 (Genesys’s own)'),
  NOTIFICATION_MAX_BUFFERED_BYTES: integer(1024, 1024 ** 3).default(1_048_576).describe('bytes from 1024 to 1073741824, e.g. 1048576'),
  NOTIFICATION_UPSTREAM_CHANNELS: integer(1, 20)
    .default(1)
    .describe('a number from 1 to 20, e.g. 1; times the replicas holding tenant sockets it must stay within Genesys’s 20 per OAuth client'),
  NOTIFICATION_UPSTREAM_TOPICS_PER_CHANNEL: integer(1, 1_000).default(1_000).describe('a number from 1 to 1000 (Genesys’s most), e.g. 1000'),
});

type Env = z.infer<typeof envSchema>;

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}
type SettingName = keyof Env;

/** Rules about several settings at once; each sees only the settings that are valid on their own. */
const crossRules: ((env: Partial<Env>) => { name: SettingName; message: string } | undefined)[] = [
  (env) => {
    const modes = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((name) => env[name] !== undefined);
    return modes.length > 1 ? { name: modes[1]!, message: `cannot be combined with ${modes[0]}: set one of them` } : undefined;
  },
  (env) =>
    env.REDIS_SENTINELS && 'REDIS_SENTINEL_NAME' in env && !env.REDIS_SENTINEL_NAME
      ? { name: 'REDIS_SENTINEL_NAME', message: 'is required with REDIS_SENTINELS' }
      : undefined,
  (env) =>
    env.REDIS_TLS && env.REDIS_URL
      ? { name: 'REDIS_TLS', message: 'applies to REDIS_SENTINELS and REDIS_CLUSTER_NODES; use a rediss:// REDIS_URL instead' }
      : undefined,
  (env) =>
    env.GENESYS_REGION === undefined && 'GENESYS_REGION' in env && env.GENESYS_API_URL === undefined && 'GENESYS_API_URL' in env
      ? { name: 'GENESYS_API_URL', message: 'is required when GENESYS_REGION is not set (set GENESYS_REGION, or both URLs)' }
      : undefined,
  (env) =>
    env.GENESYS_REGION === undefined && 'GENESYS_REGION' in env && env.GENESYS_LOGIN_URL === undefined && 'GENESYS_LOGIN_URL' in env
      ? { name: 'GENESYS_LOGIN_URL', message: 'is required when GENESYS_REGION is not set (set GENESYS_REGION, or both URLs)' }
      : undefined,
  (env) =>
    env.PORT !== undefined && env.PORT !== 0 && env.PORT === env.METRICS_PORT
      ? { name: 'METRICS_PORT', message: `is the same port as PORT (${env.PORT}); the operations listener needs a port of its own` }
      : undefined,
  (env) =>
    env.TENANT_TOKEN_PREVIOUS_SECRETS?.length && 'TENANT_TOKEN_SECRET' in env && env.TENANT_TOKEN_SECRET === undefined
      ? {
          name: 'TENANT_TOKEN_PREVIOUS_SECRETS',
          message: 'is set but TENANT_TOKEN_SECRET is not: former secrets only make sense next to the current one; set TENANT_TOKEN_SECRET',
        }
      : undefined,
];

/** Every environment variable the proxy reads (the deployment manifests are checked against it). */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

/** What each setting should look like, for error messages and the README. */
export function settingHint(name: string): string | undefined {
  return (envSchema.shape as Record<string, z.ZodType>)[name]?.description;
}

/** The settings, shaped for the parts that use them; its type is derived from the schema above. */
function toSettings(e: Env) {
  return {
    port: e.PORT,
    host: e.HOST,
    genesys: {
      apiUrl: e.GENESYS_API_URL ?? `https://api.${e.GENESYS_REGION}`,
      loginUrl: e.GENESYS_LOGIN_URL ?? `https://login.${e.GENESYS_REGION}`,
      clientId: e.GENESYS_CLIENT_ID,
      clientSecret: e.GENESYS_CLIENT_SECRET,
    },
    tenantsDir: e.TENANTS_DIR,
    redisUrl: e.REDIS_URL,
    /** A Sentinel-managed primary (REDIS_SENTINELS, REDIS_SENTINEL_NAME). */
    redisSentinel: e.REDIS_SENTINELS
      ? { sentinels: e.REDIS_SENTINELS as readonly RedisNode[], name: e.REDIS_SENTINEL_NAME ?? '', password: e.REDIS_SENTINEL_PASSWORD as string | undefined }
      : undefined,
    /** A Redis Cluster (REDIS_CLUSTER_NODES): nodes to learn the cluster from. */
    redisClusterNodes: e.REDIS_CLUSTER_NODES as readonly RedisNode[] | undefined,
    /** Password of the Redis nodes with Sentinel or Cluster (REDIS_URL carries its own); also used with REDIS_URL when the URL has none. */
    redisPassword: e.REDIS_PASSWORD as string | undefined,
    /** TLS to the Sentinels and the Redis nodes (a REDIS_URL says rediss:// instead). */
    redisTls: e.REDIS_TLS,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    rateLimits: {
      /** The one Genesys budget every tenant and replica shares. */
      upstreamPerMinute: e.UPSTREAM_REQUESTS_PER_MINUTE,
      reserveFraction: e.UPSTREAM_RESERVE_FRACTION,
      defaultTenantPerMinute: e.DEFAULT_TENANT_REQUESTS_PER_MINUTE,
      /** Replicas behind the load balancer: divides the limits when Redis is down. */
      replicaCount: e.REPLICA_COUNT,
    },
    logLevel: e.LOG_LEVEL as string,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    upstreamMaxSockets: e.UPSTREAM_MAX_SOCKETS,
    maxUpstreamBodyBytes: e.MAX_UPSTREAM_BODY_BYTES,
    /** Listings larger than this are scoped and sent as they arrive, on rows that can (no total cap then). */
    streamThresholdBytes: e.STREAM_THRESHOLD_BYTES,
    /** Queue listings scoped on Genesys's bytes (and streamed); false: every answer parsed by the reference scoper. */
    scopeOnBytes: e.SCOPE_ON_BYTES,
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    /** How long identical Genesys reads are answered from the cache; 0 (default) turns it off. */
    readCacheTtlMs: e.READ_CACHE_TTL_MS,
    /** DETAILS_SCAN_MAX_CONVERSATIONS: the most of the tenant's conversations one details query may select (ten times that are read at most). */
    detailsScanMaxConversations: e.DETAILS_SCAN_MAX_CONVERSATIONS,
    /** Port of the operations listener (/metrics, /healthz, /readyz); 0 turns it off. */
    metricsPort: e.METRICS_PORT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    tenantsReloadIntervalMs: e.TENANTS_RELOAD_INTERVAL_MS,
    notifications: {
      /** Tenant channels per key; the next one replaces the oldest without a socket. */
      channelsPerKey: e.NOTIFICATION_CHANNELS_PER_KEY,
      topicsPerChannel: e.NOTIFICATION_TOPICS_PER_CHANNEL,
      /** Bytes waiting for a tenant socket before it is closed as a slow consumer. */
      maxBufferedBytes: e.NOTIFICATION_MAX_BUFFERED_BYTES,
      /** Genesys channels this replica may hold. */
      upstreamChannels: e.NOTIFICATION_UPSTREAM_CHANNELS,
      upstreamTopicsPerChannel: e.NOTIFICATION_UPSTREAM_TOPICS_PER_CHANNEL,
    },
    tenantTokens: {
      /** HS256 secret for the tokens the proxy issues; unset means a random one per process. */
      secret: e.TENANT_TOKEN_SECRET as string | undefined,
      /** Secrets still accepted for verification while a rotation is under way. */
      previousSecrets: e.TENANT_TOKEN_PREVIOUS_SECRETS as readonly string[],
      ttlSeconds: e.TENANT_TOKEN_TTL_SECONDS,
    },
  };
}

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export type Settings = DeepReadonly<ReturnType<typeof toSettings>>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings (${problems.length} problem${problems.length === 1 ? '' : 's'}; every one is listed):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/**
 * Parses the environment once at start. Every setting is checked on its own, then the rules
 * between settings run on those that passed, so one SettingsError lists every problem at once,
 * each with the variable's name and what a good value looks like. Values are never echoed: some
 * are secrets.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const problems: string[] = [];
  const valid: Partial<Record<SettingName, unknown>> = {};
  for (const [name, schema] of Object.entries(envSchema.shape) as [SettingName, z.ZodType][]) {
    const parsed = schema.safeParse(env[name]);
    if (parsed.success) valid[name] = parsed.data;
    else problems.push(describeProblem(name, [...new Set(parsed.error.issues.map((issue) => issueText(issue, env[name] === undefined)))].join('; ')));
  }
  for (const rule of crossRules) {
    const problem = rule(valid as Partial<Env>);
    if (problem) problems.push(describeProblem(problem.name, problem.message));
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return deepFreeze(toSettings(valid as Env));
}

function describeProblem(name: SettingName, message: string): string {
  const hint = settingHint(name);
  return `${name}: ${message}${hint ? ` (good: ${hint})` : ''}`;
}

function issueText(issue: z.core.$ZodIssue, missing: boolean): string {
  if (issue.code === 'invalid_type' && missing) return 'is required';
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  return issue.message;
}

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}

/** The settings as safe to log: every secret masked, credentials stripped from URLs. */
export function describeSettings(settings: Settings): Record<string, unknown> {
  return mask(settings) as Record<string, unknown>;
}

function mask(value: unknown, key = ''): unknown {
  if (/secret|password/i.test(key)) {
    if (Array.isArray(value)) return value.map(() => '********');
    return value === undefined ? undefined : '********';
  }
  if (Array.isArray(value)) return value.map((inner) => mask(inner));
  if (isRedisNode(value)) return `${value.host}:${value.port}`;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  if (typeof value === 'string' && /^rediss?:\/\//.test(value)) return maskUrlCredentials(value);
  return value;
}

function isRedisNode(value: unknown): value is RedisNode {
  return typeof value === 'object' && value !== null && Object.keys(value).join() === 'host,port';
}

function maskUrlCredentials(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = '********';
  return url.toString();
}
