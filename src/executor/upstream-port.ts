import type { GenesysSender } from '../genesys/upstream-client.js';
import { parseSharedUpstreamJson, parseUpstreamJson } from '../genesys/json-response.js';
import type { UpstreamPort } from '../scoping/row-strategy.js';
import { callGenesys, type RowMeter } from './upstream-calls.js';

/**
 * The port a row's own strategy calls Genesys through, bound to one request: its meter, its
 * correlation id, its tenant and whether the row may share reads at all (a write row never does).
 */
export function upstreamPort(client: GenesysSender, meter: RowMeter, correlationId: string, readRow: boolean, tenantId: string): UpstreamPort {
  return {
    async call(request) {
      const read = readRow && request.share !== false;
      const response = await callGenesys(client, meter, correlationId, { ...request, read, tenantId });
      const parse = response.shared ? parseSharedUpstreamJson : parseUpstreamJson;
      return { status: response.status, json: parse(response.body, response.headers['content-type']) };
    },
  };
}
