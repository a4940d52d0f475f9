import { inScope, type ResponseContext, type ScopedResponse } from '../scope.js';
import { scopeListing } from './listing.js';

/**
 * `GET /routing/queues/{queueId}/wrapupcodes`: a queue of the tenant's may carry wrap-up codes of
 * other divisions (`WrapupCode.division`). Only codes in the tenant's divisions are kept, and
 * totals and links are rebuilt, since Genesys's total counted every code on the queue.
 */
export function scopeWrapupCodeListing(body: unknown, context: ResponseContext): ScopedResponse {
  return scopeListing(body, context, (code) => inScope(code, context.scope), { hasTotals: true, upstreamFiltered: false });
}
