import { GatewayError } from '../errors.js';
import type { JobRegistry } from '../genesys/job-registry.js';
import type { QueueDirectory } from '../genesys/queue-directory.js';
import type { UserDirectory } from '../genesys/user-directory.js';
import type { OwnershipCheck } from '../scoping/route-rule.js';
import type { TenantScope } from '../scoping/scope.js';

export interface Directories {
  readonly queues: QueueDirectory;
  readonly users: UserDirectory;
  readonly jobs: JobRegistry;
}

/** A path id outside the tenant's divisions answers 404, the same as an id that does not exist. */
export async function checkOwnership(
  checks: readonly OwnershipCheck[] | undefined,
  params: Readonly<Record<string, string>>,
  scope: TenantScope,
  directories: Directories,
  correlationId: string,
): Promise<void> {
  for (const check of checks ?? []) {
    const id = params[check.param];
    if (id === undefined) throw new Error(`policy row checks a missing path parameter ${check.param}`);
    if (!(await owns(check, id, scope, directories, correlationId))) throw new GatewayError('not.found');
  }
}

async function owns(check: OwnershipCheck, id: string, scope: TenantScope, directories: Directories, correlationId: string): Promise<boolean> {
  switch (check.kind) {
    case 'division':
      return scope.divisions.has(id);
    case 'job':
      return (await directories.jobs.ownerOf(id)) === scope.tenantId;
    case 'queue':
    case 'user': {
      const directory = check.kind === 'queue' ? directories.queues : directories.users;
      const division = await directory.divisionOf(id, correlationId, { fresh: check.fresh === true });
      return division !== undefined && scope.divisions.has(division);
    }
  }
}
