import type { Logger } from 'pino';
import { keyExpiryNotices } from './expiry.js';
import type { TenantStore } from './tenant-store.js';

export interface KeyExpiry {
  readonly tenant: string;
  readonly keyId: string;
  readonly secondsUntilExpiry: number;
}

export interface KeyExpiryWatchOptions {
  readonly store: TenantStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** How often a running proxy looks again, so a key entering the warning window is noticed. */
  readonly checkIntervalMs?: number;
}

/**
 * Warns in the log about keys that have expired or expire within 14 days, at every load of the
 * tenant files and twice a day in between, and reports every key's remaining lifetime for the
 * `gdp_tenant_key_expiry_seconds` metric.
 */
export class KeyExpiryWatch {
  readonly #options: KeyExpiryWatchOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: KeyExpiryWatchOptions) {
    this.#options = options;
  }

  check(): void {
    for (const notice of keyExpiryNotices(this.#options.store.current(), this.#options.now())) {
      const { message, ...fields } = notice;
      this.#options.logger.warn(fields, message);
    }
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.check(), this.#options.checkIntervalMs ?? 12 * 3600 * 1000);
    this.#timer.unref();
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  expiries(): KeyExpiry[] {
    const now = this.#options.now();
    return this.#options.store
      .current()
      .list()
      .flatMap((tenant) =>
        tenant.keys.flatMap((key) =>
          key.expiresAt === undefined ? [] : [{ tenant: tenant.id, keyId: key.id, secondsUntilExpiry: (key.expiresAt - now) / 1000 }],
        ),
      );
  }
}
