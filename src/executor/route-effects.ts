import { divisionEntry } from '../genesys/directory-loading.js';
import type { RouteEffect } from '../scoping/route-rule.js';
import { isRecord, type TenantScope } from '../scoping/scope.js';
import type { OwnershipSources } from './ownership.js';

/**
 * What a successful upstream call changes in the proxy's own state. Runs before the tenant gets
 * the answer, so that its next request already sees the change.
 */
export async function applyEffect(
  effect: RouteEffect | undefined,
  upstreamBody: unknown,
  params: Readonly<Record<string, string>>,
  scope: TenantScope,
  { directories, jobs }: OwnershipSources,
): Promise<void> {
  if (!effect) return;
  switch (effect.kind) {
    case 'bind-job':
      if (isRecord(upstreamBody) && typeof upstreamBody['jobId'] === 'string') await jobs.bind(upstreamBody['jobId'], scope.tenantId);
      return;
    case 'queue-saved': {
      const entry = divisionEntry(upstreamBody);
      if (entry) directories.queues.record(entry.id, entry);
      return;
    }
    case 'queue-deleted': {
      const queueId = params[effect.param];
      if (queueId !== undefined) directories.queues.record(queueId, undefined);
      return;
    }
  }
}
