import { divisionEntry, fetchOne, loadAllPages } from './directory-loading.js';
import { SnapshotDirectory, type OrgDirectory } from './org-directory.js';
import type { DirectoryOptions } from './queue-directory.js';

/**
 * Which division each user of the org is in. `GET /users` has no division filter and member
 * listings may embed users without one, so this is how users are scoped.
 */
export type UserDirectory = OrgDirectory;

/** All states, so that inactive agents' history stays visible to their own tenant. */
export function createUserDirectory({ client, share = (_name, load) => load, ...options }: DirectoryOptions): UserDirectory {
  return new SnapshotDirectory({
    ...options,
    loadAll: share('users', (correlationId) =>
      loadAllPages(client, (page) => `/api/v2/users?pageSize=100&pageNumber=${page}&state=any`, correlationId, divisionEntry)),
    lookupOne: (userId, correlationId) => fetchOne(client, `/api/v2/users/${userId}`, correlationId, divisionEntry),
  });
}
