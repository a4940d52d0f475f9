import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { AgentStates } from './agent-states.js';
import { presenceIdOf } from './agent-states.js';
import { MEDIA_TYPES } from './model.js';
import type { SeededOrg } from './org.js';
import { hash32 } from './prng.js';

/**
 * Genesys's notification service as far as it is documented, with the undocumented parts as
 * options: heartbeat interval, how a combined topic counts against the limit, the words of a
 * rejected topic's state, the lifetime of a channel.
 */
export interface NotificationOptions {
  /** Default 30 s (user-reported; the official interval is not documented). */
  readonly heartbeatIntervalMs?: number;
  /** Default 1,000 (documented). */
  readonly maxTopicsPerChannel?: number;
  /** Default 20 (documented per user and app; assumed per OAuth client for client credentials). */
  readonly maxChannels?: number;
  /** Default 24 h (documented; whether idle or absolute is not). */
  readonly channelLifetimeMs?: number;
  /** Default 'expanded': a combined topic counts once per suffix. */
  readonly combinedTopicCount?: 'expanded' | 'one';
  /** Default 'Rejected'. */
  readonly rejectedState?: string;
  /** Grace between `v2.system.socket_closing` and the close. Default 60 s (documented "up to one minute"). */
  readonly socketClosingGraceMs?: number;
}

export interface SimChannel {
  readonly id: string;
  readonly clientId: string;
  readonly topics: Set<string>;
  socket: WebSocket | undefined;
  /** Every socket ever connected, for tests that count connections. */
  connections: number;
  expires: number;
  readonly createdAt: number;
}

export type TopicCheck = { readonly topic: string; readonly ok: true } | { readonly topic: string; readonly ok: false; readonly reason: string };

const USER_SUFFIXES = ['presence', 'routingStatus', 'activity', 'conversationsummary', 'geolocation', 'workforcemanagement.adherence'];
const QUEUE_TOPICS: readonly [string, readonly string[]][] = [
  ['v2.analytics.queues.', ['observations', 'activity']],
  ['v2.routing.queues.', ['conversations', 'conversations.calls', 'conversations.callbacks', 'conversations.chats', 'conversations.emails', 'conversations.messages', 'users']],
];
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Channels, subscriptions and sockets of the simulated org, and the events it sends. */
export class SimNotifications {
  readonly options: Required<NotificationOptions>;
  readonly #org: SeededOrg;
  readonly #channels = new Map<string, SimChannel>();
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #silenced = new WeakSet<WebSocket>();
  #heartbeat: NodeJS.Timeout | undefined;
  /** Frames sent to sockets, for tests that need to see what the proxy was sent. */
  sent = 0;

  constructor(org: SeededOrg, agents: AgentStates, options: NotificationOptions = {}) {
    this.#org = org;
    this.options = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
      maxTopicsPerChannel: options.maxTopicsPerChannel ?? 1_000,
      maxChannels: options.maxChannels ?? 20,
      channelLifetimeMs: options.channelLifetimeMs ?? 86_400_000,
      combinedTopicCount: options.combinedTopicCount ?? 'expanded',
      rejectedState: options.rejectedState ?? 'Rejected',
      socketClosingGraceMs: options.socketClosingGraceMs ?? 60_000,
    };
    agents.onChange((userId, state, what) => {
      if (what === 'presence') {
        this.publish(`v2.users.${userId}.presence`, {
          source: 'PURECLOUD',
          presenceDefinition: { id: presenceIdOf(state.systemPresence), systemPresence: state.systemPresence },
          primary: true,
          message: '',
          modifiedDate: state.presenceModified,
        });
      } else {
        this.publish(`v2.users.${userId}.routingStatus`, { id: userId, routingStatus: { status: state.routingStatus, startTime: state.routingStarted } });
      }
    });
  }

  channels(): SimChannel[] {
    return [...this.#channels.values()];
  }

  channel(id: string): SimChannel | undefined {
    const channel = this.#channels.get(id);
    if (channel && channel.expires <= Date.now()) {
      this.#remove(channel);
      return undefined;
    }
    return channel;
  }

  /** A new channel; past the limit, the oldest channel without a socket (else the oldest) goes. */
  create(clientId: string, baseUrl: string): { connectUri: string; id: string; expires: string } {
    const own = this.channels().filter((channel) => channel.clientId === clientId);
    if (own.length >= this.options.maxChannels) {
      const victim = own.find((channel) => !channel.socket) ?? own[0]!;
      this.#remove(victim);
    }
    const id = `streaming-0-${randomBytes(16).toString('hex').slice(0, 26)}`;
    const now = Date.now();
    this.#channels.set(id, { id, clientId, topics: new Set(), socket: undefined, connections: 0, expires: now + this.options.channelLifetimeMs, createdAt: now });
    return { connectUri: `${baseUrl.replace(/^http/, 'ws')}/channels/${id}`, id, expires: new Date(now + this.options.channelLifetimeMs).toISOString() };
  }

  /** Whether the org has the user or queue a topic names (and the topic is one Genesys has). */
  check(topic: string): TopicCheck {
    const expanded = expand(topic);
    if (!expanded) return { topic, ok: false, reason: 'invalid topic' };
    for (const name of expanded) {
      const user = new RegExp(`^v2\\.users\\.(${UUID})\\.(.+)$`).exec(name);
      if (user) {
        if (!USER_SUFFIXES.includes(user[2]!)) return { topic, ok: false, reason: 'invalid topic' };
        if (!this.#org.user(user[1]!)) return { topic, ok: false, reason: 'permission denied' };
        continue;
      }
      const queue = QUEUE_TOPICS.map(([prefix, suffixes]) => [new RegExp(`^${prefix.replace(/\./g, '\\.')}(${UUID})\\.(.+)$`).exec(name), suffixes] as const).find(([match]) => match);
      if (!queue) return { topic, ok: false, reason: 'invalid topic' };
      const [match, suffixes] = queue;
      if (!suffixes.includes(match![2]!)) return { topic, ok: false, reason: 'invalid topic' };
      if (!this.#org.queue(match![1]!)) return { topic, ok: false, reason: 'permission denied' };
    }
    return { topic, ok: true };
  }

  /** Topics a channel would hold, as the limit counts them. */
  topicCount(topics: Iterable<string>): number {
    let count = 0;
    for (const topic of topics) count += this.options.combinedTopicCount === 'one' ? 1 : (expand(topic)?.length ?? 1);
    return count;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = /^\/channels\/([\w-]+)$/.exec(req.url ?? '');
    const channel = match ? this.channel(match[1]!) : undefined;
    if (!channel) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#attach(channel, ws));
  }

  /** Sends an event to every connected channel subscribed to the topic (directly or combined). */
  publish(topicName: string, eventBody: unknown): number {
    let delivered = 0;
    const frame = JSON.stringify({ topicName, version: '2', eventBody, metadata: { CorrelationId: randomBytes(8).toString('hex') } });
    for (const channel of this.#channels.values()) {
      if (!channel.socket || channel.socket.readyState !== WebSocket.OPEN) continue;
      if (![...channel.topics].some((topic) => expand(topic)?.includes(topicName))) continue;
      this.#send(channel.socket, frame);
      delivered += 1;
    }
    return delivered;
  }

  /** A queue observation event from the seeded org: waiting conversations and on-queue agents. */
  publishQueueObservation(queueId: string, waiting = hash32(`waiting:${queueId}`) % 7): number {
    const members = this.#org.queueMembers.get(queueId) ?? [];
    const now = new Date().toISOString();
    return this.publish(`v2.analytics.queues.${queueId}.observations`, {
      group: { queueId, mediaType: MEDIA_TYPES[0] },
      data: [{ interval: `${now}/${now}`, metrics: [
        { metric: 'oWaiting', stats: { count: waiting } },
        { metric: 'oInteracting', stats: { count: hash32(`interacting:${queueId}`) % 4 } },
        { metric: 'oOnQueueUsers', qualifier: 'IDLE', stats: { count: members.length } },
      ] }],
    });
  }

  /** A conversation event on a queue: the queue's division and one of its members as agent. */
  publishQueueConversation(queueId: string, agentId?: string): number {
    const queue = this.#org.queue(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    const agent = agentId ?? this.#org.queueMembers.get(queueId)?.[0];
    const agentUser = agent ? this.#org.user(agent) : undefined;
    const divisions = [...new Set([queue.division.id, ...(agentUser ? [agentUser.division.id] : [])])];
    const id = `c${randomBytes(4).toString('hex')}-0000-4000-8000-000000000000`;
    return this.publish(`v2.routing.queues.${queueId}.conversations`, {
      id,
      participants: [
        { id: 'p-customer', purpose: 'customer', address: 'tel:+15550100' },
        { id: 'p-acd', purpose: 'acd', queueId },
        ...(agent ? [{ id: 'p-agent', purpose: 'agent', userId: agent, queueId, name: agentUser?.name }] : []),
      ],
      divisions: divisions.map((division) => ({ division: { id: division, selfUri: `/api/v2/authorization/divisions/${division}` }, entities: [{ id }] })),
    });
  }

  /** Fault: Genesys's maintenance notice, then the close after the grace period. */
  socketClosing(graceMs = this.options.socketClosingGraceMs): void {
    for (const channel of this.#channels.values()) {
      const socket = channel.socket;
      if (!socket) continue;
      this.#send(socket, JSON.stringify({ topicName: 'v2.system.socket_closing', eventBody: { message: 'The socket will close for maintenance.' } }));
      this.#after(graceMs, () => {
        if (socket.readyState === WebSocket.OPEN) socket.close(1001, 'maintenance');
      });
    }
  }

  /** Fault: every socket cut without a close frame. */
  dropSockets(): void {
    for (const channel of this.#channels.values()) channel.socket?.terminate();
  }

  /** Fault: the channels are gone (expired, or replaced past the limit); sockets close. */
  expireAll(): void {
    for (const channel of [...this.#channels.values()]) this.#remove(channel);
  }

  /** Fault: the sockets connected now stay open but send nothing more (not even pongs). */
  silence(): void {
    for (const channel of this.#channels.values()) if (channel.socket) this.#silenced.add(channel.socket);
  }

  /** Fault: `count` events on one topic at once, for consumers that cannot keep up. */
  flood(topicName: string, eventBody: unknown, count: number): void {
    for (let i = 0; i < count; i += 1) this.publish(topicName, eventBody);
  }

  close(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const timer of this.#timers) clearTimeout(timer);
    for (const channel of this.#channels.values()) channel.socket?.terminate();
    this.#server.close();
  }

  #attach(channel: SimChannel, ws: WebSocket): void {
    // One socket per channel: a second connection disconnects the first.
    channel.socket?.close(1000, 'another socket connected');
    channel.socket = ws;
    channel.connections += 1;
    this.#startHeartbeat();
    ws.on('message', (data) => this.#onFrame(channel, ws, data.toString()));
    ws.on('close', () => {
      if (channel.socket === ws) channel.socket = undefined;
    });
    ws.on('error', () => undefined);
  }

  #onFrame(channel: SimChannel, ws: WebSocket, text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    const message = (frame as { message?: unknown }).message;
    const correlationId = (frame as { correlationId?: unknown }).correlationId;
    if (message === 'ping') {
      this.#send(ws, JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'pong' } }));
      return;
    }
    const topics = (frame as { topics?: unknown }).topics;
    if ((message !== 'subscribe' && message !== 'unsubscribe') || !Array.isArray(topics) || !topics.every((t) => typeof t === 'string')) {
      this.#send(ws, JSON.stringify({ result: '400', status: 'error', message: 'Unrecognised message.', correlationId }));
      return;
    }
    if (message === 'unsubscribe') {
      for (const topic of topics as string[]) channel.topics.delete(topic);
      this.#send(ws, JSON.stringify({ result: '200', status: 'unsubscribed', correlationId }));
      return;
    }
    const refused = (topics as string[]).map((topic) => this.check(topic)).find((check) => !check.ok);
    if (refused || this.topicCount(new Set([...channel.topics, ...(topics as string[])])) > this.options.maxTopicsPerChannel) {
      this.#send(ws, JSON.stringify({ result: refused ? '403' : '400', status: 'failed', message: refused ? 'Permission denied.' : 'Too many topics.', correlationId }));
      return;
    }
    for (const topic of topics as string[]) channel.topics.add(topic);
    this.#send(ws, JSON.stringify({ result: '200', status: 'subscribed', correlationId }));
  }

  #send(ws: WebSocket, frame: string): void {
    if (ws.readyState !== WebSocket.OPEN || this.#silenced.has(ws)) return;
    this.sent += 1;
    ws.send(frame);
  }

  #startHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => {
      for (const channel of this.#channels.values()) {
        if (channel.socket) this.#send(channel.socket, JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } }));
      }
    }, this.options.heartbeatIntervalMs);
    this.#heartbeat.unref();
  }

  #after(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
  }

  #remove(channel: SimChannel): void {
    this.#channels.delete(channel.id);
    channel.socket?.close(1000, 'channel removed');
  }
}

/** `prefix?a&b` → `prefix.a`, `prefix.b`; a plain topic → itself. */
export function expand(topic: string): string[] | undefined {
  const mark = topic.indexOf('?');
  if (mark === -1) return [topic];
  if (topic.length > 200) return undefined;
  const suffixes = topic.slice(mark + 1).split('&');
  if (suffixes.some((suffix) => suffix === '')) return undefined;
  return suffixes.map((suffix) => `${topic.slice(0, mark)}.${suffix}`);
}

export const AVAILABLE_TOPICS: readonly string[] = [
  ...USER_SUFFIXES.map((suffix) => `v2.users.{id}.${suffix}`),
  ...QUEUE_TOPICS.flatMap(([prefix, suffixes]) => suffixes.map((suffix) => `${prefix}{id}.${suffix}`)),
  'v2.system.socket_closing',
];
