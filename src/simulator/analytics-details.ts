import { matchesFilter, parseFilterList, type AnalyticsFilter } from './analytics-filter.js';
import { CONVERSATION_DIMENSIONS, SEGMENT_DIMENSIONS, type IndexedConversation } from './analytics-conversations.js';
import { parseInterval, type Interval } from './analytics-interval.js';
import { isRecord } from './body.js';
import { invalidValue } from './errors.js';
import type { AnalyticsConversation } from './model.js';

const ORDERS = ['asc', 'desc', 'unordered'] as const;
const ORDER_BY = ['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd'] as const;
const DEFAULT_PAGE_SIZE = 25;
/** Genesys's maximum is undocumented; oversized pages are clamped here. */
const MAX_PAGE_SIZE = 100;

export interface DetailsSelection {
  readonly interval: Interval;
  readonly conversationFilters: readonly AnalyticsFilter[];
  readonly segmentFilters: readonly AnalyticsFilter[];
  readonly order: (typeof ORDERS)[number];
  readonly orderBy: (typeof ORDER_BY)[number];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, fieldType: string): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalidValue(String(value), fieldType, allowed);
  return value as T;
}

/** The selection part shared by the synchronous query and async jobs. */
export function parseDetailsSelection(body: Record<string, unknown>): DetailsSelection {
  return {
    interval: parseInterval(body['interval']),
    conversationFilters: parseFilterList(body['conversationFilters'], CONVERSATION_DIMENSIONS, 'conversationFilters'),
    segmentFilters: parseFilterList(body['segmentFilters'], SEGMENT_DIMENSIONS, 'segmentFilters'),
    order: oneOf(body['order'], ORDERS, 'asc', 'SortOrder'),
    orderBy: oneOf(body['orderBy'], ORDER_BY, 'conversationStart', 'OrderBy'),
  };
}

export function parsePaging(input: unknown): { pageSize: number; pageNumber: number } {
  const paging = isRecord(input) ? input : {};
  const whole = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : fallback);
  return { pageSize: Math.min(whole(paging['pageSize'], DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE), pageNumber: whole(paging['pageNumber'], 1) };
}

/**
 * Conversations that started in the interval and pass every filter. Conversation filters see
 * conversation-level dimensions; each segment filter must hold within one single segment.
 */
export function selectConversations(conversations: readonly IndexedConversation[], selection: DetailsSelection): AnalyticsConversation[] {
  const { interval } = selection;
  const selected = conversations.filter(
    (entry) =>
      entry.start >= interval.start &&
      entry.start < interval.end &&
      selection.conversationFilters.every((filter) => matchesFilter(filter, entry.values)) &&
      selection.segmentFilters.every((filter) => entry.segments.some((segment) => matchesFilter(filter, segment))),
  );
  const byEnd = selection.orderBy === 'conversationEnd' || selection.orderBy === 'segmentEnd';
  selected.sort((a, b) => (byEnd ? a.end - b.end : a.start - b.start) || (a.conversation.conversationId < b.conversation.conversationId ? -1 : 1));
  if (selection.order === 'desc') selected.reverse();
  return selected.map((entry) => entry.conversation);
}
