import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { GatewayError } from '../errors.js';
import type { OrgDirectory } from '../genesys/org-directory.js';
import type { DivisionIndex } from '../scoping/division-index.js';
import { isRecord } from '../scoping/scope.js';
import type { ApiKeyRecord, Tenant } from '../tenants/tenant.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';
import { scopeEvent, type NotificationEvent } from '../scoping/notifications/event-scoping.js';
import type { NotificationMetrics } from './notification-metrics.js';
import { TenantChannels, type TenantChannel } from './tenant-channels.js';
import { decideTopics, REJECTION_REASONS, subscriptionOutcome, TOPIC_REJECTED, type Ownership } from '../scoping/notifications/topic-scoping.js';
import type { ParsedTopic } from '../scoping/notifications/topics.js';
import { UpstreamCapacityError, type UpstreamChannels } from './upstream-channels.js';

export interface NotificationLimits {
  /** Channels per tenant key, as Genesys allows per user and app. */
  readonly channelsPerKey: number;
  readonly topicsPerChannel: number;
  readonly channelLifetimeMs: number;
  readonly heartbeatIntervalMs: number;
  /** Bytes queued for a tenant socket before it is closed as too slow. */
  readonly maxBufferedBytes: number;
  /** How often channels are checked against the tenant registry (removed key or tenant) and expiry. */
  readonly revalidateIntervalMs: number;
}

/** The limits that are not settings (the others come from NOTIFICATION_* settings, and only from there). */
export const NOTIFICATION_TIMINGS: Pick<NotificationLimits, 'channelLifetimeMs' | 'heartbeatIntervalMs' | 'revalidateIntervalMs'> = {
  channelLifetimeMs: 86_400_000,
  heartbeatIntervalMs: 30_000,
  revalidateIntervalMs: 1_000,
};

export interface NotificationServiceOptions {
  readonly upstream: UpstreamChannels;
  readonly tenants: () => TenantRegistry;
  readonly directories: { readonly users: OrgDirectory; readonly queues: OrgDirectory };
  readonly metrics: NotificationMetrics;
  readonly logger: Logger;
  readonly limits: NotificationLimits;
  readonly now: () => number;
}

/** Who is calling: the authenticated tenant, the key it used, and the divisions of this request. */
export interface Caller {
  readonly tenant: Tenant;
  readonly key: ApiKeyRecord;
  readonly divisions: ReadonlySet<string>;
  readonly correlationId: string;
}

/** Where the tenant reached the proxy, for the connectUri. */
export interface Origin {
  readonly secure: boolean;
  readonly host: string;
}

export interface ChannelBody {
  readonly connectUri: string;
  readonly id: string;
  readonly expires: string;
}

interface TopicEntry {
  readonly id: string;
  readonly selfUri?: string;
  readonly state?: string;
  readonly rejectionReason?: string;
}

const CLOSE_POLICY = 1008;
const CLOSE_GOING_AWAY = 1001;

/**
 * Tenant channels on top of the proxy's own Genesys channels. Tenants never see a Genesys channel
 * id, connectUri or token: their channels are the proxy's, their sockets end at the proxy, every
 * topic is checked against their divisions when subscribed, and every event again on its way out.
 */
export class NotificationService {
  readonly #options: NotificationServiceOptions;
  readonly #channels: TenantChannels;
  readonly #byTopic = new Map<string, Set<TenantChannel>>();
  readonly #timers: NodeJS.Timeout[];
  #deliveries: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: NotificationServiceOptions) {
    this.#options = options;
    this.#channels = new TenantChannels(options.limits.channelsPerKey);
    this.#timers = [
      setInterval(() => this.#heartbeat(), options.limits.heartbeatIntervalMs),
      setInterval(() => this.revalidate(), options.limits.revalidateIntervalMs),
    ];
    for (const timer of this.#timers) timer.unref();
  }

  createChannel(caller: Caller, origin: Origin): ChannelBody {
    const now = this.#options.now();
    const { channel, replaced } = this.#channels.create(caller.tenant.id, caller.key.id, now, this.#options.limits.channelLifetimeMs);
    if (replaced) this.#discard(replaced, CLOSE_GOING_AWAY, 'channel replaced');
    this.#gauges();
    return this.#describe(channel, origin);
  }

  listChannels(caller: Caller, origin: Origin): { entities: ChannelBody[] } {
    return { entities: this.#channels.ofKey(caller.tenant.id, caller.key.id).map((channel) => this.#describe(channel, origin)) };
  }

  hasChannel(caller: Caller, id: string): boolean {
    return this.#owned(caller, id) !== undefined;
  }

  subscriptions(caller: Caller, id: string): { entities: TopicEntry[] } {
    return this.#listing(this.#require(caller, id), []);
  }

  /** POST (add) or PUT (replace) subscriptions, checked as Genesys checks them: all or nothing unless `ignoreErrors`. */
  async subscribe(caller: Caller, id: string, body: unknown, options: { readonly replace: boolean; readonly ignoreErrors: boolean }): Promise<{ entities: TopicEntry[] }> {
    const channel = this.#require(caller, id);
    const requested = topicIds(body);
    const outcome = subscriptionOutcome(decideTopics(requested, await this.#ownership(caller.divisions, caller.correlationId, requested)), options.ignoreErrors);
    if (outcome.kind === 'refused') {
      this.#options.metrics.topicRefusals.inc({ tenant: caller.tenant.id, reason: outcome.reason });
      throw new GatewayError('not.authorized', { message: REJECTION_REASONS[outcome.reason] });
    }
    for (const rejected of outcome.rejected) this.#options.metrics.topicRefusals.inc({ tenant: caller.tenant.id, reason: rejected.reason });
    const next = new Map(options.replace ? [] : channel.topics);
    for (const topic of outcome.accepted) next.set(topic.name, topic);
    if (next.size > this.#options.limits.topicsPerChannel) {
      throw new GatewayError('bad.request', { message: `A channel may hold at most ${this.#options.limits.topicsPerChannel} topics.` });
    }
    await this.#replaceTopics(channel, next);
    channel.expiresAt = this.#options.now() + this.#options.limits.channelLifetimeMs;
    return this.#listing(channel, outcome.rejected.map((r) => ({ id: r.topic, state: TOPIC_REJECTED, rejectionReason: REJECTION_REASONS[r.reason] })));
  }

  async unsubscribeAll(caller: Caller, id: string): Promise<void> {
    await this.#replaceTopics(this.#require(caller, id), new Map());
  }

  /** Whether a socket may connect to this channel now (its key and tenant still exist). */
  canConnect(id: string): boolean {
    const channel = this.#channels.byId(id);
    return channel !== undefined && this.#stillValid(channel);
  }

  /** A tenant socket on its channel; as with Genesys, a second socket replaces the first. */
  attach(id: string, socket: WebSocket): void {
    const channel = this.#channels.byId(id);
    if (!channel || !this.#stillValid(channel)) {
      socket.close(CLOSE_POLICY, 'no such channel');
      return;
    }
    channel.socket?.close(CLOSE_GOING_AWAY, 'another socket connected');
    channel.socket = socket;
    this.#gauges();
    socket.on('message', (data, isBinary) => {
      if (!isBinary) void this.#onFrame(channel, socket, data.toString());
    });
    socket.on('close', () => {
      if (channel.socket === socket) channel.socket = undefined;
      this.#gauges();
    });
    socket.on('error', () => undefined);
  }

  /** An event from Genesys, fanned out to every tenant channel subscribed to its topic, scoped per tenant. */
  deliver(event: NotificationEvent): Promise<void> {
    this.#deliveries = this.#deliveries.then(() => this.#fanOut(event)).catch((error: unknown) => {
      this.#options.logger.warn({ err: error }, 'notification fan-out failed');
    });
    return this.#deliveries;
  }

  /** Closes the sockets and channels of keys and tenants that no longer exist, and expired channels. */
  revalidate(): void {
    const now = this.#options.now();
    for (const channel of this.#channels.all()) {
      if (!this.#stillValid(channel)) this.#discard(channel, CLOSE_POLICY, 'credential revoked');
      else if (channel.expiresAt <= now) this.#discard(channel, CLOSE_GOING_AWAY, 'channel expired');
    }
  }

  /** Shutdown: tenants are told to move (Genesys's maintenance notice), then their sockets close. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    for (const channel of this.#channels.all()) {
      if (!channel.socket) continue;
      this.#send(channel, JSON.stringify({ topicName: 'v2.system.socket_closing', eventBody: { message: 'The proxy is shutting down; reconnect.' } }));
      channel.socket.close(CLOSE_GOING_AWAY, 'shutting down');
    }
  }

  async #fanOut(event: NotificationEvent): Promise<void> {
    const channels = this.#byTopic.get(event.topicName);
    if (!channels || channels.size === 0) return;
    const [users, queues] = await this.#indexes(`notification-${event.topicName.slice(0, 64)}`);
    const registry = this.#options.tenants();
    for (const channel of channels) {
      const tenant = registry.tenant(channel.tenantId);
      if (!tenant || !channel.socket) continue;
      const verdict = scopeEvent(event, { own: ownership(users, queues, tenant.divisions), divisions: tenant.divisions });
      if (verdict.kind === 'drop') {
        this.#options.metrics.eventsDropped.inc({ reason: verdict.reason });
        continue;
      }
      if (this.#send(channel, JSON.stringify(verdict.event))) this.#options.metrics.eventsDelivered.inc({ tenant: tenant.id });
    }
  }

  async #onFrame(channel: TenantChannel, socket: WebSocket, text: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = undefined;
    }
    const message = isRecord(frame) ? frame['message'] : undefined;
    const correlationId = isRecord(frame) && typeof frame['correlationId'] === 'string' ? { correlationId: frame['correlationId'].slice(0, 128) } : {};
    if (message === 'ping') {
      this.#send(channel, JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'pong' } }));
      return;
    }
    const tenant = this.#options.tenants().tenant(channel.tenantId);
    const topics = isRecord(frame) && Array.isArray(frame['topics']) && frame['topics'].every((t) => typeof t === 'string') ? (frame['topics'] as string[]) : undefined;
    if ((message !== 'subscribe' && message !== 'unsubscribe') || !topics || !tenant || channel.socket !== socket) {
      this.#send(channel, JSON.stringify({ result: '400', status: 'error', message: 'Unrecognised message.', ...correlationId }));
      return;
    }
    try {
      const next = new Map(channel.topics);
      if (message === 'unsubscribe') {
        for (const topic of topics) for (const parsed of decideTopics([topic], () => true).flatMap((d) => ('accepted' in d ? d.accepted : []))) next.delete(parsed.name);
      } else {
        const outcome = subscriptionOutcome(decideTopics(topics, await this.#ownership(tenant.divisions, `socket-${channel.id.slice(0, 8)}`, topics)), false);
        if (outcome.kind === 'refused') {
          this.#options.metrics.topicRefusals.inc({ tenant: tenant.id, reason: outcome.reason });
          this.#send(channel, JSON.stringify({ result: '403', status: 'failed', message: REJECTION_REASONS[outcome.reason], ...correlationId }));
          return;
        }
        for (const topic of outcome.accepted) next.set(topic.name, topic);
        if (next.size > this.#options.limits.topicsPerChannel) {
          this.#send(channel, JSON.stringify({ result: '400', status: 'failed', message: 'Too many topics.', ...correlationId }));
          return;
        }
      }
      await this.#replaceTopics(channel, next);
      this.#send(channel, JSON.stringify({ result: '200', status: message === 'subscribe' ? 'subscribed' : 'unsubscribed', ...correlationId }));
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'in-socket subscription failed');
      this.#send(channel, JSON.stringify({ result: '502', status: 'error', message: 'The subscription could not be made.', ...correlationId }));
    }
  }

  /** Ownership of the ids the topics name; an id the directory does not know is asked once, as path ids are. */
  async #ownership(divisions: ReadonlySet<string>, correlationId: string, topics: readonly string[]): Promise<Ownership> {
    const [users, queues] = await this.#indexes(correlationId);
    const known = new Map<string, boolean>();
    for (const decision of decideTopics(topics, () => true)) {
      if (!('accepted' in decision)) continue;
      for (const topic of decision.accepted) {
        const key = `${topic.entity}:${topic.entityId}`;
        if (known.has(key)) continue;
        const directory = topic.entity === 'user' ? this.#options.directories.users : this.#options.directories.queues;
        const index = topic.entity === 'user' ? users : queues;
        const division = index.divisionOf(topic.entityId) ?? (await directory.divisionOf(topic.entityId, correlationId));
        known.set(key, division !== undefined && divisions.has(division));
      }
    }
    return (entity, id) => known.get(`${entity}:${id}`) === true;
  }

  #indexes(correlationId: string): Promise<[DivisionIndex, DivisionIndex]> {
    return Promise.all([this.#options.directories.users.index(correlationId), this.#options.directories.queues.index(correlationId)]);
  }

  /** Changes a channel's topics and the upstream subscriptions with them; on failure nothing changes. */
  async #replaceTopics(channel: TenantChannel, next: Map<string, ParsedTopic>): Promise<void> {
    const previous = new Map(channel.topics);
    this.#index(channel, next);
    try {
      await this.#options.upstream.setTopics(new Set(this.#byTopic.keys()));
    } catch (error) {
      this.#index(channel, previous);
      this.#options.upstream.setTopics(new Set(this.#byTopic.keys())).catch(() => undefined);
      if (error instanceof UpstreamCapacityError) {
        throw new GatewayError('upstream.error', { message: 'The proxy cannot subscribe more topics to Genesys Cloud now.', cause: error });
      }
      throw new GatewayError('upstream.error', { message: 'Genesys Cloud did not accept the subscription.', cause: error });
    }
  }

  #index(channel: TenantChannel, topics: ReadonlyMap<string, ParsedTopic>): void {
    for (const name of channel.topics.keys()) {
      const set = this.#byTopic.get(name);
      set?.delete(channel);
      if (set?.size === 0) this.#byTopic.delete(name);
    }
    channel.topics.clear();
    for (const [name, topic] of topics) {
      channel.topics.set(name, topic);
      let set = this.#byTopic.get(name);
      if (!set) this.#byTopic.set(name, (set = new Set()));
      set.add(channel);
    }
  }

  #heartbeat(): void {
    const frame = JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    for (const channel of this.#channels.all()) this.#send(channel, frame);
  }

  /** Sends, or closes a socket that has more than the allowed bytes waiting: nothing is buffered without bound. */
  #send(channel: TenantChannel, frame: string): boolean {
    const socket = channel.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount + Buffer.byteLength(frame) > this.#options.limits.maxBufferedBytes) {
      this.#options.metrics.slowConsumers.inc({ tenant: channel.tenantId });
      this.#options.logger.warn({ tenant: channel.tenantId }, 'tenant notification socket too slow: closed');
      channel.socket = undefined;
      socket.terminate();
      this.#gauges();
      return false;
    }
    socket.send(frame);
    return true;
  }

  #stillValid(channel: TenantChannel): boolean {
    const lookup = this.#options.tenants().tenantFromKeyId(channel.keyId, this.#options.now());
    return lookup.ok && lookup.tenant.id === channel.tenantId;
  }

  #discard(channel: TenantChannel, code: number, reason: string): void {
    this.#channels.remove(channel.id);
    channel.socket?.close(code, reason);
    const socket = channel.socket;
    if (socket) setTimeout(() => socket.terminate(), 1_000).unref();
    channel.socket = undefined;
    this.#index(channel, new Map());
    if (!this.#closed) this.#options.upstream.setTopics(new Set(this.#byTopic.keys())).catch((error: unknown) => this.#options.logger.warn({ err: error }, 'upstream unsubscribe failed'));
    this.#gauges();
  }

  #owned(caller: Caller, id: string): TenantChannel | undefined {
    const channel = this.#channels.owned(id, caller.tenant.id, caller.key.id);
    return channel && channel.expiresAt > this.#options.now() ? channel : undefined;
  }

  #require(caller: Caller, id: string): TenantChannel {
    const channel = this.#owned(caller, id);
    if (!channel) throw new GatewayError('not.found');
    return channel;
  }

  #describe(channel: TenantChannel, origin: Origin): ChannelBody {
    return { connectUri: `${origin.secure ? 'wss' : 'ws'}://${origin.host}/channels/${channel.id}`, id: channel.id, expires: new Date(channel.expiresAt).toISOString() };
  }

  #listing(channel: TenantChannel, rejected: TopicEntry[]): { entities: TopicEntry[] } {
    const selfUri = (topic: string) => `/api/v2/notifications/channels/${channel.id}/subscriptions/${encodeURIComponent(topic)}`;
    return { entities: [...[...channel.topics.keys()].map((id) => ({ id, selfUri: selfUri(id) })), ...rejected] };
  }

  #gauges(): void {
    const all = this.#channels.all();
    this.#options.metrics.tenantChannels.set(all.length);
    this.#options.metrics.tenantSockets.set(all.filter((channel) => channel.socket).length);
  }
}

function ownership(users: DivisionIndex, queues: DivisionIndex, divisions: ReadonlySet<string>): Ownership {
  return (entity, id) => {
    const division = (entity === 'user' ? users : queues).divisionOf(id);
    return division !== undefined && divisions.has(division);
  };
}

/** The body of a subscription request: `[{id}]`, as Genesys takes it. */
function topicIds(body: unknown): string[] {
  if (!Array.isArray(body) || body.length > 1_000) throw new GatewayError('body.invalid', { message: 'The body must be a list of at most 1000 topics, each {"id": "..."}.' });
  return body.map((item) => {
    if (!isRecord(item) || typeof item['id'] !== 'string' || item['id'].length > 256) throw new GatewayError('body.invalid', { message: 'Each topic must be {"id": "..."}.' });
    return item['id'];
  });
}
