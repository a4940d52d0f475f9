import { z } from 'zod';
import type { RouteRule } from '../route-rule.js';
import { scopeAvailableTopics } from './available-topics.js';

/**
 * `ChannelTopic[]` as SDKs send it: only `id` is read; the other fields of Genesys's model (as
 * found in a listing the client sends back) are accepted and ignored.
 */
export const channelTopicsSchema = z
  .array(
    z.strictObject({
      id: z.string().min(1).max(256),
      state: z.string().max(64).optional(),
      rejectionReason: z.string().max(1024).optional(),
      missingPermissions: z.array(z.string().max(256)).max(100).optional(),
      selfUri: z.string().max(1024).optional(),
    }),
  )
  .max(1_000);

export const CHANNELS = '/api/v2/notifications/channels';
export const CHANNEL = '/api/v2/notifications/channels/{channelId:token}';
export const SUBSCRIPTIONS = '/api/v2/notifications/channels/{channelId:token}/subscriptions';

const served = { kind: 'served' } as const;
const subscriptionsBody = { schema: channelTopicsSchema, rewrite: servedOnly };

function servedOnly(): never {
  throw new Error('notification rows are answered by the proxy, never rewritten for Genesys');
}

/**
 * The topic catalogue (forwarded and cut to the topics served), then channels and subscriptions:
 * answered by the proxy's own notification service, not forwarded.
 */
export const notificationRows: readonly RouteRule[] = [
  {
    method: 'GET',
    path: '/api/v2/notifications/availabletopics',
    access: 'read',
    query: { single: ['includePreview'], multi: ['expand'] },
    response: { kind: 'scoped', scope: scopeAvailableTopics },
    summary: {
      request: 'forwarded: org-wide, Genesys’s topic catalogue',
      response: 'only the topics the proxy serves (see Real time); `schema` left out',
    },
  },
  {
    method: 'POST',
    path: CHANNELS,
    access: 'read',
    query: {},
    response: served,
    summary: {
      request: 'served by the proxy: a channel of the tenant and key (at most 20 per key)',
      response: '`connectUri` is the proxy’s own WebSocket (`ws`/`wss` as reached), never Genesys’s; unguessable `id`; `expires`',
    },
  },
  {
    method: 'GET',
    path: CHANNELS,
    access: 'read',
    query: { single: ['includechannels'] },
    response: served,
    summary: { request: 'served by the proxy', response: 'the channels of the calling key only' },
  },
  {
    method: 'HEAD',
    path: CHANNEL,
    access: 'read',
    query: {},
    response: served,
    summary: { request: 'served by the proxy', response: '200 if the channel is the calling key’s, else 404' },
  },
  {
    method: 'GET',
    path: SUBSCRIPTIONS,
    access: 'read',
    query: {},
    response: served,
    summary: { request: '404 unless the channel is the calling key’s', response: 'the channel’s topics (combined topics expanded)' },
  },
  {
    method: 'POST',
    path: SUBSCRIPTIONS,
    access: 'read',
    query: { single: ['ignoreErrors'] },
    body: subscriptionsBody,
    response: served,
    summary: {
      request: 'every topic parsed (combined forms expanded), of a kind the proxy serves, naming the tenant’s user or queue: else 403 for all, or per topic with `ignoreErrors=true`',
      response: 'the channel’s topics and the rejected ones; each distinct topic subscribed once upstream for all tenants',
    },
  },
  {
    method: 'PUT',
    path: SUBSCRIPTIONS,
    access: 'read',
    query: { single: ['ignoreErrors'] },
    body: subscriptionsBody,
    response: served,
    summary: { request: 'as POST; replaces the list', response: 'as POST' },
  },
  {
    method: 'DELETE',
    path: SUBSCRIPTIONS,
    access: 'read',
    query: {},
    response: served,
    summary: { request: '404 unless the channel is the calling key’s', response: 'status only; topics no channel wants any more are unsubscribed upstream' },
  },
];
