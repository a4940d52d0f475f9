import { divisionEntry, fetchOne, loadAllPages } from './directory-loading.js';
import { SnapshotDirectory, type OrgDirectory, type SnapshotDirectoryOptions } from './org-directory.js';
import type { GenesysClient } from './upstream-client.js';

/** Which division each queue of the org is in: what queue id checks and queue analytics scoping ask. */
export type QueueDirectory = OrgDirectory;

export type DirectoryOptions = Omit<SnapshotDirectoryOptions, 'loadAll' | 'lookupOne'> & {
  readonly client: GenesysClient;
  /** Shares the whole-org load between replicas (Redis); identity when there is one replica. */
  readonly share?: (name: string, load: SnapshotDirectoryOptions['loadAll']) => SnapshotDirectoryOptions['loadAll'];
};

/**
 * Loaded from `/routing/queues/divisionviews/all`, the one queue listing that is not limited to
 * some divisions and takes 500 queues a page.
 */
export function createQueueDirectory({ client, share = (_name, load) => load, ...options }: DirectoryOptions): QueueDirectory {
  return new SnapshotDirectory({
    ...options,
    loadAll: share('queues', (correlationId) =>
      loadAllPages(client, (page) => `/api/v2/routing/queues/divisionviews/all?pageSize=500&pageNumber=${page}`, correlationId, divisionEntry)),
    lookupOne: (queueId, correlationId) => fetchOne(client, `/api/v2/routing/queues/${queueId}`, correlationId, divisionEntry),
  });
}
