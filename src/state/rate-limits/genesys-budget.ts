import { GatewayError } from '../../errors.js';
import { GenesysLimitTracker } from './genesys-limits.js';
import type { RateLimiter } from './rate-limiter.js';

/** On whose behalf a call goes to Genesys. */
export type BudgetAccount =
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly budget?: string }
  /** The proxy's own work: directory loads and lookups, logins. Spent from the reserve, never refused. */
  | { readonly kind: 'proxy'; readonly reason: 'directory' | 'token' };

export type CallReason = 'tenant' | 'directory' | 'token';

export interface GenesysBudgetOptions {
  readonly limiter: RateLimiter;
  /** UPSTREAM_REQUESTS_PER_MINUTE: the budget until Genesys says what it allows. */
  readonly configuredPerMinute: number;
  /** A tenant's guaranteed share of the budget per minute. */
  readonly shareOf: (tenantId: string, budgetPerMinute: number) => number;
  readonly now: () => number;
  /** Told of every call charged, for metrics. */
  readonly onCall?: (reason: CallReason, tenantId: string | undefined, budgetRemaining: number | undefined) => void;
  readonly onRefusal?: (tenantId: string) => void;
}

/**
 * The shared Genesys budget, charged once per HTTP call the proxy actually makes to Genesys:
 * every page of a scan, every chunk of a split query, every directory lookup. An answer shared
 * with an identical read in flight or served from the read cache made no call and costs nothing.
 * The budget follows what Genesys says it allows (`inin-ratelimit-*`), and no tenant call goes
 * out while Genesys's own count is used up.
 */
export class GenesysBudget {
  readonly #options: GenesysBudgetOptions;
  readonly #limits: GenesysLimitTracker;

  constructor(options: GenesysBudgetOptions) {
    this.#options = options;
    this.#limits = new GenesysLimitTracker(options.configuredPerMinute);
  }

  /** Charges one call, or throws the tenant's 429. */
  async charge(account: BudgetAccount): Promise<void> {
    const perMinute = this.#limits.perMinute();
    if (account.kind === 'proxy') {
      await this.#options.limiter.spend(perMinute);
      this.#options.onCall?.(account.reason, undefined, this.#limits.remaining(this.#options.now()));
      return;
    }
    const blockedMs = this.#limits.blockedForMs(this.#options.now());
    if (blockedMs > 0) throw this.#refusal(account.tenantId, blockedMs);
    const decision = await this.#options.limiter.take({
      tenantId: account.tenantId,
      sharePerMinute: this.#options.shareOf(account.tenantId, perMinute),
      upstreamPerMinute: perMinute,
      ...(account.budget !== undefined ? { budget: account.budget } : {}),
    });
    if (!decision.allowed) throw this.#refusal(account.tenantId, decision.retryAfterSeconds * 1000);
    this.#options.onCall?.('tenant', account.tenantId, decision.budgetRemaining);
  }

  /** Reads Genesys's limit headers from an answer. */
  observe(headers: Readonly<Record<string, string | string[] | undefined>>, status?: number): void {
    this.#limits.observe(headers, this.#options.now(), status);
  }

  /** The budget per minute now in force. */
  perMinute(): number {
    return this.#limits.perMinute();
  }

  #refusal(tenantId: string, retryAfterMs: number): GatewayError {
    this.#options.onRefusal?.(tenantId);
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new GatewayError('too.many.requests', {
      audit: 'share of the Genesys budget used up',
      retryAfter,
      message: `This tenant's share of the Genesys Cloud request budget is used up. Retry the request in [${retryAfter}] seconds.`,
    });
  }
}
