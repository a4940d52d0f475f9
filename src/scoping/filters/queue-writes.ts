import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';

const reference = z.looseObject({ id: z.string().min(1).max(128) });

/**
 * `CreateQueueRequest` / `QueueRequest`. Genesys validates its own model, so fields the proxy
 * has no opinion on pass through; the fields that place the queue in a division or copy another
 * queue are checked here.
 */
export const queueWriteSchema = z.looseObject({
  name: z.string().min(1).max(256),
  division: reference.optional(),
  sourceQueueId: z.string().min(1).max(128).optional(),
  conditionalGroupRouting: z
    .looseObject({ rules: z.array(z.looseObject({ queue: reference.optional() })).max(100).optional() })
    .optional(),
});

export type QueueWrite = z.infer<typeof queueWriteSchema>;

/**
 * `POST /routing/queues` and `PUT /routing/queues/{id}`: the queue must land in one of the
 * tenant's divisions, named explicitly (Genesys would put a queue without one in the home
 * division, which no tenant owns), and may reference only the tenant's own queues.
 */
export function rewriteQueueWrite(body: QueueWrite, { query, scope, facts }: RequestInput): RequestPlan {
  const division = body.division?.id;
  if (division === undefined) {
    throw new GatewayError('body.invalid', { message: 'division.id is required: name one of the tenant’s divisions.' });
  }
  if (!scope.divisions.has(division)) {
    throw new GatewayError('not.authorized', { message: 'division.id names a division outside the tenant’s divisions.' });
  }
  const referenced = [
    ...(body.sourceQueueId !== undefined ? [body.sourceQueueId] : []),
    ...(body.conditionalGroupRouting?.rules ?? []).flatMap((rule) => (rule.queue ? [rule.queue.id] : [])),
  ];
  for (const queueId of referenced) {
    const owner = facts.queues.divisionOf(queueId);
    if (owner === undefined || !scope.divisions.has(owner)) {
      throw new GatewayError('not.authorized', { message: 'The body references a queue outside the tenant’s divisions.' });
    }
  }
  return forward(query, body);
}
