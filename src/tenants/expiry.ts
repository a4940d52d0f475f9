import type { TenantRegistry } from './tenant-registry.js';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const EXPIRY_FORMAT = 'an ISO-8601 date-time with a time zone, such as 2027-11-01T00:00:00Z';

/**
 * Epoch milliseconds of an ISO-8601 date-time, or undefined. Only real calendar dates pass:
 * `Date.parse` would turn 2027-02-30 into March 2 without a word.
 */
export function parseExpiry(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const time = Date.parse(text);
  return Number.isFinite(time) ? time : undefined;
}

/** How long before a key's expiry the proxy and `validate` start warning about it. */
export const EXPIRY_WARNING_MS = 14 * 24 * 3600 * 1000;

export interface KeyExpiryNotice {
  readonly tenant: string;
  readonly keyId: string;
  readonly file: string;
  readonly expiresAt: string;
  readonly expired: boolean;
  readonly message: string;
}

/** Keys already expired, or expiring within EXPIRY_WARNING_MS of `now`, soonest first. */
export function keyExpiryNotices(registry: TenantRegistry, now: number): KeyExpiryNotice[] {
  const notices: KeyExpiryNotice[] = [];
  for (const tenant of registry.list()) {
    for (const key of tenant.keys) {
      if (key.expiresAt === undefined || key.expiresAt - now > EXPIRY_WARNING_MS) continue;
      const expiresAt = new Date(key.expiresAt).toISOString();
      const expired = key.expiresAt <= now;
      const days = Math.max(0, Math.ceil((key.expiresAt - now) / 86_400_000));
      notices.push({
        tenant: tenant.id,
        keyId: key.id,
        file: tenant.source,
        expiresAt,
        expired,
        message: expired
          ? `key ${key.id} of tenant ${tenant.id} expired at ${expiresAt} and is refused; remove it, or issue a new one with keygen`
          : `key ${key.id} of tenant ${tenant.id} expires at ${expiresAt} (in ${days} day${days === 1 ? '' : 's'}); issue a new one with keygen and add it next to this one`,
      });
    }
  }
  return notices.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}
