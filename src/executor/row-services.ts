import type { RowServices } from '../scoping/row-strategy.js';
import { VisibleListCache } from '../state/details/visible-list-cache.js';

export interface RowServicesOptions {
  /** DETAILS_SCAN_MAX_CONVERSATIONS: the most of the tenant's conversations one details query may select. */
  readonly detailsScanMaxConversations?: number;
  /** How long a tenant's visible conversations for one query are kept for its next pages. */
  readonly detailsListTtlMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_DETAILS_SCAN_MAX_CONVERSATIONS = 10_000;
const DEFAULT_DETAILS_LIST_TTL_MS = 60_000;

/** One proxy's strategy state. */
export function createRowServices(options: RowServicesOptions): RowServices {
  const maxConversations = options.detailsScanMaxConversations ?? DEFAULT_DETAILS_SCAN_MAX_CONVERSATIONS;
  return {
    detailsScan: {
      maxConversations,
      // Room for a few tenants' longest lists at once.
      cache: new VisibleListCache(options.detailsListTtlMs ?? DEFAULT_DETAILS_LIST_TTL_MS, Math.max(maxConversations * 2, 1000), options.now ?? Date.now),
    },
  };
}
