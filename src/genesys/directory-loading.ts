import { GatewayError } from '../errors.js';
import type { DirectoryEntry } from '../scoping/division-index.js';
import { isRecord } from '../scoping/scope.js';
import { parseUpstreamJson } from './json-response.js';
import type { GenesysSender } from './upstream-client.js';
import { upstreamFailure } from './upstream-errors.js';

/** A runaway listing (a page count that never ends) must not loop forever. */
const MAX_PAGES = 10_000;

export type EntryReader = (entity: unknown) => DirectoryEntry | undefined;

/** Reads a listing page by page until Genesys says there is no next page. */
export async function loadAllPages(client: GenesysSender, pathOfPage: (page: number) => string, correlationId: string, read: EntryReader): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const body = await getJson(client, pathOfPage(page), correlationId);
    if (!isRecord(body) || !Array.isArray(body['entities'])) {
      throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a listing the proxy could not read.' });
    }
    for (const entity of body['entities'] as unknown[]) {
      const entry = read(entity);
      if (entry) entries.push(entry);
    }
    const pageCount = body['pageCount'];
    const more = typeof pageCount === 'number' ? page < pageCount : typeof body['nextUri'] === 'string';
    if (!more || (body['entities'] as unknown[]).length === 0) return entries;
  }
  throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a listing that does not end.' });
}

/** One object, or undefined on 404. */
export async function fetchOne(client: GenesysSender, path: string, correlationId: string, read: EntryReader): Promise<DirectoryEntry | undefined> {
  const body = await getJson(client, path, correlationId, true);
  return body === undefined ? undefined : read(body);
}

async function getJson(client: GenesysSender, pathAndQuery: string, correlationId: string, missingIsUndefined = false): Promise<unknown> {
  const response = await client.send({ method: 'GET', pathAndQuery, correlationId });
  if (missingIsUndefined && response.status === 404) return undefined;
  if (response.status < 200 || response.status >= 300) throw upstreamFailure(response.status, response.body, response.headers);
  return parseUpstreamJson(response.body, response.headers['content-type']);
}

/** An entity with an id and a division; anything else is left out (and so never the tenant's). */
export function divisionEntry(entity: unknown): DirectoryEntry | undefined {
  if (!isRecord(entity) || typeof entity['id'] !== 'string') return undefined;
  const division = entity['division'];
  if (!isRecord(division) || typeof division['id'] !== 'string') return undefined;
  const entry: DirectoryEntry = {
    id: entity['id'],
    divisionId: division['id'],
    name: typeof entity['name'] === 'string' ? entity['name'] : '',
    ...(typeof entity['state'] === 'string' ? { state: entity['state'] } : {}),
  };
  return entry;
}
