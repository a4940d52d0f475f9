import { randomBytes } from 'node:crypto';

/** Opaque bearer tokens issued by `/oauth/token`; they lapse after the configured lifetime. */
export class TokenStore {
  readonly #expiries = new Map<string, number>();
  /** token → the OAuth client it was issued to. */
  readonly #clients = new Map<string, string>();
  readonly #issuedPerClient = new Map<string, number>();
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  #issued = 0;

  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.#ttlSeconds = ttlSeconds;
    this.#now = now;
  }

  issue(clientId = ''): { token: string; expiresIn: number } {
    const token = randomBytes(48).toString('base64url');
    this.#expiries.set(token, this.#now() + this.#ttlSeconds * 1000);
    this.#clients.set(token, clientId);
    this.#issuedPerClient.set(clientId, (this.#issuedPerClient.get(clientId) ?? 0) + 1);
    this.#issued += 1;
    return { token, expiresIn: this.#ttlSeconds };
  }

  isValid(token: string): boolean {
    const expiry = this.#expiries.get(token);
    if (expiry === undefined) return false;
    if (expiry > this.#now()) return true;
    this.#expiries.delete(token);
    this.#clients.delete(token);
    return false;
  }

  /** The client a live token was issued to. */
  clientOf(token: string): string | undefined {
    return this.#clients.get(token);
  }

  /** Tokens issued in all, or to one client. */
  issuedCount(clientId?: string): number {
    return clientId === undefined ? this.#issued : (this.#issuedPerClient.get(clientId) ?? 0);
  }

  revokeAll(): void {
    this.#expiries.clear();
    this.#clients.clear();
  }
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly count: number;
  readonly limit: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
}

/** A fixed one-minute window per token, like Genesys's per-token budget. */
export class TokenRateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #limit: number;
  readonly #now: () => number;

  constructor(limit: number, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  hit(token: string): RateDecision {
    const now = this.#now();
    let window = this.#windows.get(token);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.#windows.set(token, window);
    }
    window.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
    return { allowed: window.count <= this.#limit, count: window.count, limit: this.#limit, resetSeconds };
  }
}
