import type { DirectoryName } from '../scoping/route-rule.js';
import { divisionEntry, fetchOne, loadAllPages } from './directory-loading.js';
import { SnapshotDirectory, type DirectoryLoad, type OrgDirectory, type SnapshotDirectoryOptions } from './org-directory.js';
import type { GenesysSender } from './upstream-client.js';

/** Where one org-wide directory is loaded from: every page of a listing, and one object by id. */
export interface DirectorySource {
  /** A listing page across the whole org (no division filter), as large as Genesys allows. */
  readonly page: (pageNumber: number) => string;
  readonly one: (id: string) => string;
}

/**
 * The directories a policy row can declare in `needs` or check ids against. A new kind of owned
 * entity is one entry here (its loader) plus its owned kind in `executor/ownership.ts`.
 */
export const directorySources: Readonly<Record<DirectoryName, DirectorySource>> = {
  // `/divisionviews/all` is the one queue listing not limited to some divisions, 500 queues a page.
  queues: {
    page: (page) => `/api/v2/routing/queues/divisionviews/all?pageSize=500&pageNumber=${page}`,
    one: (queueId) => `/api/v2/routing/queues/${queueId}`,
  },
  // `GET /users` has no division filter and member listings may embed users without one; all
  // states, so that inactive agents' history stays visible to their own tenant.
  users: {
    page: (page) => `/api/v2/users?pageSize=100&pageNumber=${page}&state=any`,
    one: (userId) => `/api/v2/users/${userId}`,
  },
};

/** Which division each object of each kind is in, for the whole org. */
export type Directories = Readonly<Record<DirectoryName, OrgDirectory>>;

export type DirectoryOptions = Omit<SnapshotDirectoryOptions, 'loadAll' | 'lookupOne' | 'onLookup' | 'onRefreshFailure' | 'onLoad'> & {
  readonly client: GenesysSender;
  /** Shares the whole-org load between replicas (Redis); absent with one replica. */
  readonly share?: (name: DirectoryName, load: SnapshotDirectoryOptions['loadAll']) => SnapshotDirectoryOptions['loadAll'];
  readonly onLookup?: (name: DirectoryName, result: 'hit' | 'miss') => void;
  readonly onRefreshFailure?: (name: DirectoryName, error: unknown) => void;
  /** After every completed load, with what moved between divisions (drift) since the one before. */
  readonly onLoad?: (name: DirectoryName, load: DirectoryLoad) => void;
};

export function createDirectories({ client, share = (_name, load) => load, onLookup, onRefreshFailure, onLoad, ...options }: DirectoryOptions): Directories {
  const build = (name: DirectoryName): OrgDirectory => {
    const source = directorySources[name];
    return new SnapshotDirectory({
      ...options,
      loadAll: share(name, (correlationId) => loadAllPages(client, source.page, correlationId, divisionEntry)),
      lookupOne: (id, correlationId) => fetchOne(client, source.one(id), correlationId, divisionEntry),
      ...(onLookup ? { onLookup: (result: 'hit' | 'miss') => onLookup(name, result) } : {}),
      ...(onRefreshFailure ? { onRefreshFailure: (error: unknown) => onRefreshFailure(name, error) } : {}),
      ...(onLoad ? { onLoad: (load: DirectoryLoad) => onLoad(name, load) } : {}),
    });
  };
  const names = Object.keys(directorySources) as DirectoryName[];
  return Object.fromEntries(names.map((name) => [name, build(name)])) as unknown as Directories;
}

export function closeDirectories(directories: Directories): void {
  for (const directory of Object.values(directories)) directory.close();
}
