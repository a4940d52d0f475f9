import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { IssuedToken } from './login-client.js';
import type { GenesysToken, TokenCache } from '../state/tokens/token-cache.js';

export interface TokenManagerOptions {
  readonly cache: TokenCache;
  /** Performs one client-credentials login. */
  readonly login: () => Promise<IssuedToken>;
  readonly logger: Logger;
  readonly now?: () => number;
  /** First wait after a failed login; doubles up to maxBackoffMs while Genesys keeps refusing. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Told about every login attempt, for metrics. */
  readonly onLogin?: (outcome: 'success' | 'failure') => void;
}

/** What the operations console shows of the token: times and outcomes, never the value. */
export interface TokenStatus {
  readonly expiresAt: number | undefined;
  readonly lastLogin: { readonly at: number; readonly outcome: 'success' | 'failure'; readonly reason?: string } | undefined;
  /** While logins are failing: when the next attempt may be made. */
  readonly retryAt: number | undefined;
}

/** A token this close to expiry is never handed out: a request needs time to reach Genesys. */
const SAFETY_MARGIN_MS = 5_000;
/** How long a replica may hold the renewal lock, and how long the others wait for its token. */
const LOCK_TTL_MS = 10_000;
const LOCK_POLL_MS = 50;

/**
 * Owns the proxy's Genesys token: one login for any number of concurrent callers, renewal in the
 * background before expiry, and a back-off while the login endpoint is down so an outage does
 * not turn every tenant request into a login attempt.
 */
export class TokenManager {
  readonly #cache: TokenCache;
  readonly #login0: () => Promise<IssuedToken>;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #onLogin: (outcome: 'success' | 'failure') => void;
  #current: GenesysToken | undefined;
  #inFlight: Promise<GenesysToken> | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #failure: { until: number; backoffMs: number; reason: string } | undefined;
  #closed = false;
  #logins = 0;
  #lastLogin: TokenStatus['lastLogin'];
  /** The last token Genesys rejected: never adopted again from the shared cache. */
  #rejected: string | undefined;

  constructor(options: TokenManagerOptions) {
    this.#cache = options.cache;
    this.#login0 = options.login;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#minBackoffMs = options.minBackoffMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.#onLogin = options.onLogin ?? (() => undefined);
  }

  /** How many logins this manager has performed (for metrics and tests). */
  get loginCount(): number {
    return this.#logins;
  }

  async getToken(): Promise<string> {
    const now = this.#now();
    let token = this.#usable(this.#current, now) ? this.#current : undefined;
    if (!token) {
      const shared = await this.#cache.get().catch(() => undefined);
      if (this.#usable(shared, now) && shared.value !== this.#rejected) {
        token = shared;
        this.#adopt(shared);
      }
    }
    if (token) {
      if (now >= renewAt(token)) void this.#refresh().catch(() => undefined);
      return token.value;
    }
    return (await this.#refresh()).value;
  }

  /** Called when Genesys answered 401 to `rejected`; a newer token is left alone. */
  async invalidate(rejected: string): Promise<void> {
    this.#rejected = rejected;
    if (this.#current?.value === rejected) this.#current = undefined;
    await this.#cache.invalidate(rejected).catch(() => undefined);
  }

  /** True when a token is held or can be obtained now (readiness). */
  async isAvailable(): Promise<boolean> {
    try {
      await this.getToken();
      return true;
    } catch {
      return false;
    }
  }

  status(): TokenStatus {
    return { expiresAt: this.#current?.expiresAt, lastLogin: this.#lastLogin, retryAt: this.#failure?.until };
  }

  close(): void {
    this.#closed = true;
    if (this.#renewTimer) clearTimeout(this.#renewTimer);
  }

  #usable(token: GenesysToken | undefined, now: number): token is GenesysToken {
    return token !== undefined && now < token.expiresAt - SAFETY_MARGIN_MS;
  }

  #refresh(): Promise<GenesysToken> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<GenesysToken> {
    const now = this.#now();
    if (this.#failure && now < this.#failure.until) {
      throw unavailable(this.#failure.reason, Math.ceil((this.#failure.until - now) / 1000));
    }
    const replacing = this.#current?.value;
    if (!this.#cache.tryLock) return this.#login();
    const lock = await this.#cache.tryLock(LOCK_TTL_MS).catch(() => null);
    if (lock === null) return this.#login(); // the shared cache is down: log in on our own
    if (!lock) {
      // Another replica is logging in: wait for its token rather than spend a login of our own.
      const shared = await this.#waitForShared(replacing);
      if (shared) return shared;
      return this.#login();
    }
    try {
      const shared = await this.#cache.get().catch(() => undefined);
      if (this.#isFresh(shared, replacing)) {
        this.#adopt(shared);
        return shared;
      }
      return await this.#login();
    } finally {
      await lock.release();
    }
  }

  /** A shared token another replica just stored: usable, not due for renewal, and not the one being replaced. */
  #isFresh(token: GenesysToken | undefined, replacing: string | undefined): token is GenesysToken {
    return this.#usable(token, this.#now()) && this.#now() < renewAt(token) && token.value !== replacing && token.value !== this.#rejected;
  }

  async #waitForShared(replacing: string | undefined): Promise<GenesysToken | undefined> {
    const deadline = this.#now() + LOCK_TTL_MS;
    while (this.#now() < deadline && !this.#closed) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      const shared = await this.#cache.get().catch(() => undefined);
      if (this.#isFresh(shared, replacing)) {
        this.#adopt(shared);
        return shared;
      }
    }
    return undefined;
  }

  async #login(): Promise<GenesysToken> {
    try {
      this.#logins += 1;
      const issued = await this.#login0();
      const obtainedAt = this.#now();
      const token: GenesysToken = {
        value: issued.accessToken,
        obtainedAt,
        expiresAt: obtainedAt + issued.expiresInSeconds * 1000,
      };
      this.#failure = undefined;
      this.#lastLogin = { at: obtainedAt, outcome: 'success' };
      this.#onLogin('success');
      this.#adopt(token);
      await this.#cache.set(token).catch((error: unknown) => {
        this.#logger.warn({ err: error }, 'could not store the Genesys token in the shared cache');
      });
      this.#logger.info({ expiresInSeconds: issued.expiresInSeconds }, 'obtained a Genesys access token');
      return token;
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'login failed';
      const backoffMs = Math.min(this.#maxBackoffMs, this.#failure ? this.#failure.backoffMs * 2 : this.#minBackoffMs);
      this.#failure = { until: this.#now() + backoffMs, backoffMs, reason };
      this.#lastLogin = { at: this.#now(), outcome: 'failure', reason };
      this.#onLogin('failure');
      this.#logger.error({ reason, retryInMs: backoffMs }, 'could not obtain a Genesys access token');
      if (this.#current && this.#usable(this.#current, this.#now())) this.#schedule(this.#now() + backoffMs);
      throw unavailable(reason, Math.ceil(backoffMs / 1000), error);
    }
  }

  #adopt(token: GenesysToken): void {
    this.#current = token;
    this.#schedule(renewAt(token));
  }

  #schedule(at: number): void {
    if (this.#closed) return;
    if (this.#renewTimer) clearTimeout(this.#renewTimer);
    // Jitter spreads renewals of replicas that obtained their token at the same moment.
    const delay = Math.max(0, at - this.#now()) + Math.floor(Math.random() * 1000);
    this.#renewTimer = setTimeout(() => {
      void this.#refresh().catch(() => undefined);
    }, delay);
    this.#renewTimer.unref();
  }
}

/** Renew when 10 % of the lifetime (at least a minute, at most half of it) is left. */
export function renewAt(token: GenesysToken): number {
  const lifetime = token.expiresAt - token.obtainedAt;
  const lead = Math.min(Math.max(60_000, lifetime * 0.1), lifetime / 2);
  return token.expiresAt - lead;
}

function unavailable(reason: string, retryAfter: number, cause?: unknown): GatewayError {
  return new GatewayError('genesys.token.unavailable', {
    message: 'The proxy could not obtain a Genesys Cloud access token. Retry later.',
    retryAfter: Math.max(1, retryAfter),
    cause: cause ?? new Error(reason),
  });
}
