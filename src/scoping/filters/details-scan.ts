import { GatewayError } from '../../errors.js';
import type { RequestInput } from '../route-rule.js';
import { isRecord, UnexpectedShapeError, type ScopedResponse } from '../scope.js';
import { DEFAULT_DETAILS_PAGE_SIZE, MAX_DETAILS_PAGE_SIZE, type ConversationDetailQuery } from './analytics-schemas.js';
import type { UpstreamPort } from '../row-strategy.js';
import { callEach, CONCURRENT_CALLS } from './analytics-upstream.js';
import { isOwnConversation, restrictDetailsBody } from './conversations.js';
import { redactForeignParticipants } from './participants.js';

export const CONVERSATION_DETAILS_PATH = '/api/v2/analytics/conversations/details/query';

export interface DetailsScanOptions {
  /**
   * DETAILS_SCAN_MAX_CONVERSATIONS: the most conversations of the tenant's one query may answer.
   * The proxy reads at most DETAILS_SCAN_READ_MULTIPLE times as many in all.
   */
  readonly maxConversations: number;
  readonly cache: VisibleLists;
}

/**
 * Genesys's `totalHits` also counts conversations shared with other tenants' divisions, so the
 * limit on what a tenant may page through is on its own conversations alone. The read itself still
 * needs a bound: this many times the limit. It is the one refusal that other tenants'
 * conversations can cause, so it is audited apart.
 */
export const DETAILS_SCAN_READ_MULTIPLE = 10;

/** Audit reasons (also the `reason` of gdp_refusals_total) of the two refusals. */
export const OVER_VISIBLE_LIMIT = 'details scan: tenant conversations over DETAILS_SCAN_MAX_CONVERSATIONS';
export const OVER_READ_BOUND = 'details scan: conversations read over the read bound';

/**
 * Where a tenant's visible conversations for one query are kept a short time, so that paging
 * through them costs one scan (kept in `src/state`).
 */
export interface VisibleLists {
  get(key: string): readonly unknown[] | undefined;
  set(key: string, conversations: readonly unknown[]): void;
}

/** JSON with object keys sorted, so that equal queries make equal keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const tooMany = (maxConversations: number, audit: string) =>
  new GatewayError('body.invalid', {
    message: `The query selects more conversations than the proxy reads for one query (${maxConversations}); narrow the interval or add filters.`,
    audit,
  });

/**
 * Reads every conversation the upstream query selects, 100 a page, and keeps those the tenant may
 * see (every division its own), in Genesys's order. More than `maxConversations` of the tenant's
 * is refused as soon as the pages read show it; a query selecting more than the read bound in all
 * is refused before the pages after the first are read.
 */
async function scanVisible(query: Readonly<Record<string, unknown>>, upstream: UpstreamPort, input: RequestInput, maxConversations: number): Promise<unknown[]> {
  const page = (pageNumber: number) => ({ method: 'POST' as const, path: CONVERSATION_DETAILS_PATH, body: { ...query, paging: { pageSize: MAX_DETAILS_PAGE_SIZE, pageNumber } } });
  const [first] = await callEach(upstream, [page(1)]);
  const totalHits = isRecord(first) ? first['totalHits'] ?? 0 : undefined;
  if (typeof totalHits !== 'number' || !Number.isInteger(totalHits) || totalHits < 0) throw new UnexpectedShapeError('a details answer without totalHits');
  if (totalHits > maxConversations * DETAILS_SCAN_READ_MULTIPLE) throw tooMany(maxConversations, OVER_READ_BOUND);
  const pages = Math.ceil(totalHits / MAX_DETAILS_PAGE_SIZE);
  const seen = new Set<string>();
  const visible: unknown[] = [];
  const keepVisible = (answer: unknown) => {
    if (!isRecord(answer)) throw new UnexpectedShapeError('a details answer that is not an object');
    const conversations = answer['conversations'] ?? [];
    if (!Array.isArray(conversations)) throw new UnexpectedShapeError('conversations that are not an array');
    for (const conversation of conversations) {
      if (!isOwnConversation(conversation, input.scope)) continue;
      const id = (conversation as Record<string, unknown>)['conversationId'];
      if (typeof id !== 'string') throw new UnexpectedShapeError('a conversation without an id');
      // A conversation that moved between pages while they were read is counted once.
      if (seen.has(id)) continue;
      seen.add(id);
      visible.push(conversation);
    }
    if (visible.length > maxConversations) throw tooMany(maxConversations, OVER_VISIBLE_LIMIT);
  };
  keepVisible(first);
  // A few pages at a time, so that a tenant over its limit stops the read early.
  for (let next = 2; next <= pages; next += CONCURRENT_CALLS) {
    const batch = Array.from({ length: Math.min(CONCURRENT_CALLS, pages - next + 1) }, (_, i) => page(next + i));
    for (const answer of await callEach(upstream, batch)) keepVisible(answer);
  }
  return visible;
}

/**
 * `POST /analytics/conversations/details/query`, exactly paged: pages are full except the last,
 * and `totalHits` counts the conversations the tenant may see, on every page and past the end.
 */
export async function executeConversationDetails(input: RequestInput & { readonly body: unknown }, upstream: UpstreamPort, options: DetailsScanOptions): Promise<ScopedResponse> {
  const body = input.body as ConversationDetailQuery;
  const { paging, ...selection } = restrictDetailsBody(body, input);
  const pageSize = paging?.pageSize ?? DEFAULT_DETAILS_PAGE_SIZE;
  const pageNumber = paging?.pageNumber ?? 1;
  const key = `${input.scope.tenantId}\u0000${[...input.scope.divisionIds].sort().join(',')}\u0000${canonicalJson(selection)}`;
  let visible = options.cache.get(key);
  if (!visible) {
    visible = await scanVisible(selection, upstream, input, options.maxConversations);
    options.cache.set(key, visible);
  }
  const start = (pageNumber - 1) * pageSize;
  const conversations = visible.slice(start, start + pageSize).map((conversation) => redactForeignParticipants(conversation, input.scope, input.facts));
  return { kind: 'ok', body: { conversations, totalHits: visible.length }, kept: conversations.length, removed: 0 };
}
