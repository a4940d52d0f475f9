import { GatewayError } from '../errors.js';
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
    case 'bind-job': {
      if (!isRecord(upstreamBody) || typeof upstreamBody['jobId'] !== 'string') return;
      const jobId = upstreamBody['jobId'];
      if (await jobs.bind(jobId, scope.tenantId)) return;
      // Genesys never hands out a job id twice; if it seems to, the job must not change owner.
      throw new GatewayError('upstream.bad.response', {
        message: 'Genesys Cloud answered with a job id that is already in use; no job was created for this request.',
        cause: new Error(`anomaly: job ${jobId} was bound already; a second binding, for tenant ${scope.tenantId}, was refused`),
        audit: 'anomaly: a job id bound a second time',
      });
    }
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
