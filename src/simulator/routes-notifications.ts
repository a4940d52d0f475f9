import { Router, type Request } from 'express';
import { jsonBody } from './body.js';
import type { SimulatorContext } from './context.js';
import { badRequest, notFound, SimulatorError } from './errors.js';
import { AVAILABLE_TOPICS, type SimChannel, type SimNotifications } from './notifications.js';
import { QueryParams } from './query.js';
import { sendEmpty, sendJson } from './respond.js';

const selfUri = (channel: SimChannel, topic: string) => `/api/v2/notifications/channels/${channel.id}/subscriptions/${encodeURIComponent(topic)}`;

/** `/notifications/...`: channels belong to the OAuth client that created them. */
export function notificationRoutes({ options }: SimulatorContext, notifications: SimNotifications): Router {
  const router = Router();

  const channelOf = (req: Request): SimChannel => {
    const channel = notifications.channel(String(req.params['channelId']));
    if (!channel || channel.clientId !== options.clientId) throw notFound();
    return channel;
  };
  const listing = (channel: SimChannel) => ({ entities: [...channel.topics].map((id) => ({ id, selfUri: selfUri(channel, id) })) });

  const subscribe = (req: Request, channel: SimChannel, replace: boolean) => {
    const body = jsonBody(req);
    if (!Array.isArray(body) || !body.every((item) => typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string')) {
      throw badRequest('The request body must be a list of topics with ids.');
    }
    const ignoreErrors = QueryParams.of(req).bool('ignoreErrors') ?? false;
    const checks = (body as { id: string }[]).map((item) => notifications.check(item.id));
    const refused = checks.filter((check) => !check.ok);
    if (refused.length > 0 && !ignoreErrors) throw new SimulatorError(403, 'not.authorized', `Permission denied for topic ${refused[0]!.topic}.`);
    const accepted = checks.filter((check) => check.ok).map((check) => check.topic);
    const next = new Set(replace ? accepted : [...channel.topics, ...accepted]);
    if (notifications.topicCount(next) > notifications.options.maxTopicsPerChannel) {
      throw badRequest(`A channel may hold at most ${notifications.options.maxTopicsPerChannel} topics.`);
    }
    channel.topics.clear();
    for (const topic of next) channel.topics.add(topic);
    channel.expires = Date.now() + notifications.options.channelLifetimeMs;
    const rejected = refused.map((check) => ({ id: check.topic, state: notifications.options.rejectedState, rejectionReason: check.ok ? '' : check.reason }));
    return { entities: [...listing(channel).entities, ...rejected] };
  };

  router.post('/notifications/channels', (req, res) => {
    const base = `${req.protocol}://${req.headers.host ?? '127.0.0.1'}`;
    sendJson(res, 200, notifications.create(options.clientId, base));
  });

  router.get('/notifications/channels', (_req, res) => {
    const entities = notifications.channels().filter((c) => c.clientId === options.clientId).map((c) => ({ id: c.id, expires: new Date(c.expires).toISOString() }));
    sendJson(res, 200, { entities });
  });

  router.head('/notifications/channels/:channelId', (req, res) => {
    channelOf(req);
    sendEmpty(res, 200);
  });

  router.get('/notifications/channels/:channelId/subscriptions', (req, res) => sendJson(res, 200, listing(channelOf(req))));
  router.post('/notifications/channels/:channelId/subscriptions', (req, res) => sendJson(res, 200, subscribe(req, channelOf(req), false)));
  router.put('/notifications/channels/:channelId/subscriptions', (req, res) => sendJson(res, 200, subscribe(req, channelOf(req), true)));
  router.delete('/notifications/channels/:channelId/subscriptions', (req, res) => {
    channelOf(req).topics.clear();
    sendEmpty(res, 200);
  });

  router.get('/notifications/availabletopics', (_req, res) => {
    sendJson(res, 200, { entities: AVAILABLE_TOPICS.map((id) => ({ id, description: `Notifications for ${id}`, requiresPermissions: [], enforced: false, visibility: 'Public' })) });
  });

  return router;
}
