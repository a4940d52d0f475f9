import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors.js';
import { parseUpstreamJson } from '../genesys/json-response.js';
import type { GenesysClient } from '../genesys/upstream-client.js';
import { isRecord } from '../scoping/scope.js';
import type { UpstreamNotificationsApi } from './upstream-channels.js';

const CHANNEL_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The proxy's notification calls to Genesys, with the proxy's own token; never on a tenant's behalf. */
export function genesysNotificationsApi(client: GenesysClient): UpstreamNotificationsApi {
  const call = async (method: string, pathAndQuery: string, body?: unknown): Promise<unknown> => {
    const response = await client.send({ method, pathAndQuery, correlationId: `notifications-${randomUUID()}`, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (response.status >= 400) throw new GatewayError('upstream.error', { message: `Genesys Cloud answered ${response.status} to ${method} ${pathAndQuery.split('?')[0]}` });
    return parseUpstreamJson(response.body, response.headers['content-type']);
  };
  return {
    async createChannel() {
      const channel = await call('POST', '/api/v2/notifications/channels');
      if (!isRecord(channel) || typeof channel['id'] !== 'string' || !CHANNEL_ID.test(channel['id']) || typeof channel['connectUri'] !== 'string' || !/^wss?:\/\//.test(channel['connectUri'])) {
        throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a channel without an id and a WebSocket address.' });
      }
      return { id: channel['id'], connectUri: channel['connectUri'], ...(typeof channel['expires'] === 'string' ? { expires: channel['expires'] } : {}) };
    },
    async replaceSubscriptions(channelId, topics) {
      const answer = await call('PUT', `/api/v2/notifications/channels/${channelId}/subscriptions?ignoreErrors=true`, topics.map((id) => ({ id })));
      const entities = isRecord(answer) && Array.isArray(answer['entities']) ? answer['entities'] : [];
      const accepted = new Set(entities.filter((entity) => isRecord(entity) && typeof entity['id'] === 'string' && entity['rejectionReason'] === undefined).map((entity) => (entity as { id: string }).id));
      return { rejected: topics.filter((topic) => !accepted.has(topic)) };
    },
  };
}
