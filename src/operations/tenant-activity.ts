import type { RequestRecord } from './request-record.js';

/** The refusals the console counts; anything else is a success or a failure of Genesys. */
export const REFUSAL_STATUSES = [401, 403, 404, 429] as const;
export type RefusalStatus = (typeof REFUSAL_STATUSES)[number];

export interface UsageCounts {
  readonly requests: number;
  readonly upstreamCalls: number;
  readonly refusals: Readonly<Record<RefusalStatus, number>>;
}

export interface Refusal {
  readonly at: number;
  readonly tenantId: string | undefined;
  readonly keyId: string | undefined;
  readonly method: string;
  readonly route: string;
  readonly status: RefusalStatus;
  readonly reason: string | undefined;
  readonly correlationId: string;
}

export interface ActivityView {
  /** By tenant id; requests refused before a tenant was known are under `unauthenticated`. */
  readonly usage: ReadonlyMap<string, { readonly lastMinute: UsageCounts; readonly lastHour: UsageCounts }>;
  readonly unauthenticated: { readonly lastMinute: UsageCounts; readonly lastHour: UsageCounts };
  /** Key id → epoch milliseconds of its last accepted request on this replica. */
  readonly keyLastUsed: ReadonlyMap<string, number>;
  /** Newest first. */
  readonly recentRefusals: readonly Refusal[];
}

interface MutableCounts {
  requests: number;
  upstreamCalls: number;
  refusals: Record<RefusalStatus, number>;
}

const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const UNAUTHENTICATED = '';

/**
 * What this replica's tenants have been doing over the last hour, in one-minute buckets, and the
 * last few refusals: the console's view of use against the limits. Fed by every finished request.
 */
export class TenantActivity {
  readonly #now: () => number;
  readonly #refusalsKept: number;
  readonly #minutes = new Map<string, Map<number, MutableCounts>>();
  readonly #keyLastUsed = new Map<string, number>();
  readonly #refusals: Refusal[] = [];

  constructor(options: { now?: () => number; refusalsKept?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#refusalsKept = options.refusalsKept ?? 20;
  }

  readonly observe = (record: RequestRecord): void => {
    const minute = Math.floor(record.at / MINUTE_MS);
    const tenant = record.tenantId ?? UNAUTHENTICATED;
    let byMinute = this.#minutes.get(tenant);
    if (!byMinute) {
      byMinute = new Map();
      this.#minutes.set(tenant, byMinute);
    }
    let counts = byMinute.get(minute);
    if (!counts) {
      counts = emptyCounts();
      byMinute.set(minute, counts);
      for (const old of byMinute.keys()) if (old <= minute - HOUR_MINUTES) byMinute.delete(old);
    }
    counts.requests += 1;
    counts.upstreamCalls += record.upstreamCalls;
    if (record.keyId !== undefined) this.#keyLastUsed.set(record.keyId, record.at);
    if (isRefusal(record.status)) {
      counts.refusals[record.status] += 1;
      this.#refusals.unshift({
        at: record.at,
        tenantId: record.tenantId,
        keyId: record.keyId,
        method: record.method,
        route: record.route,
        status: record.status,
        reason: record.denial,
        correlationId: record.correlationId,
      });
      this.#refusals.length = Math.min(this.#refusals.length, this.#refusalsKept);
    }
  };

  view(): ActivityView {
    const current = Math.floor(this.#now() / MINUTE_MS);
    const summarise = (byMinute: Map<number, MutableCounts> | undefined) => {
      const lastHour = emptyCounts();
      for (const [minute, counts] of byMinute ?? []) if (minute > current - HOUR_MINUTES) add(lastHour, counts);
      return { lastMinute: byMinute?.get(current) ?? emptyCounts(), lastHour };
    };
    const usage = new Map<string, ReturnType<typeof summarise>>();
    for (const [tenant, byMinute] of this.#minutes) if (tenant !== UNAUTHENTICATED) usage.set(tenant, summarise(byMinute));
    return {
      usage,
      unauthenticated: summarise(this.#minutes.get(UNAUTHENTICATED)),
      keyLastUsed: new Map(this.#keyLastUsed),
      recentRefusals: [...this.#refusals],
    };
  }
}

export function emptyCounts(): MutableCounts {
  return { requests: 0, upstreamCalls: 0, refusals: { 401: 0, 403: 0, 404: 0, 429: 0 } };
}

function add(into: MutableCounts, counts: UsageCounts): void {
  into.requests += counts.requests;
  into.upstreamCalls += counts.upstreamCalls;
  for (const status of REFUSAL_STATUSES) into.refusals[status] += counts.refusals[status];
}

function isRefusal(status: number): status is RefusalStatus {
  return (REFUSAL_STATUSES as readonly number[]).includes(status);
}
