import { GatewayError } from '../errors.js';
import type { Directories } from '../genesys/directories.js';
import type { JobRegistry } from '../state/jobs/job-registry.js';
import type { DirectoryName, OwnedKind, OwnershipCheck } from '../scoping/route-rule.js';
import type { TenantScope } from '../scoping/scope.js';

export interface OwnershipSources {
  readonly directories: Directories;
  readonly jobs: JobRegistry;
}

type Owns = (id: string, scope: TenantScope, sources: OwnershipSources, check: OwnershipCheck, correlationId: string) => Promise<boolean>;

/** An id of an org-wide directory is the tenant's when the directory puts it in one of its divisions. */
function inDirectory(name: DirectoryName): Owns {
  return async (id, scope, { directories }, check, correlationId) => {
    const division = await directories[name].divisionOf(id, correlationId, { fresh: check.fresh === true });
    return division !== undefined && scope.divisions.has(division);
  };
}

/** How each kind of path id is known to be the tenant's: one entry per owned kind. */
const ownedKinds: Readonly<Record<OwnedKind, Owns>> = {
  division: async (id, scope) => scope.divisions.has(id),
  job: async (id, scope, { jobs }) => (await jobs.ownerOf(id)) === scope.tenantId,
  queue: inDirectory('queues'),
  user: inDirectory('users'),
};

export const OUTSIDE_DIVISIONS = 'entity outside the tenant’s divisions';

/** A path id outside the tenant's divisions answers 404, the same as an id that does not exist. */
export async function checkOwnership(
  checks: readonly OwnershipCheck[] | undefined,
  params: Readonly<Record<string, string>>,
  scope: TenantScope,
  sources: OwnershipSources,
  correlationId: string,
): Promise<void> {
  for (const check of checks ?? []) {
    const id = params[check.param];
    if (id === undefined) throw new Error(`policy row checks a missing path parameter ${check.param}`);
    if (!(await ownedKinds[check.kind](id, scope, sources, check, correlationId))) throw new GatewayError('not.found', { audit: OUTSIDE_DIVISIONS });
  }
}
