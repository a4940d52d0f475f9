import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { isRecord } from '../scoping/scope.js';
import type { NotificationEvent } from '../scoping/notifications/event-scoping.js';

/** The proxy's own calls to Genesys's notification API, with its own token. */
export interface UpstreamNotificationsApi {
  createChannel(): Promise<{ readonly id: string; readonly connectUri: string; readonly expires?: string }>;
  /** PUT with `ignoreErrors=true`; the topics Genesys did not accept. */
  replaceSubscriptions(channelId: string, topics: readonly string[]): Promise<{ readonly rejected: readonly string[] }>;
}

export interface UpstreamLimits {
  /** Genesys channels one replica may hold; all replicas together must stay within Genesys's 20. */
  readonly maxChannels: number;
  readonly maxTopicsPerChannel: number;
  /** Silence after which a ping is sent; twice as long and the socket is replaced. */
  readonly pingIntervalMs: number;
  /** First wait before reconnecting; doubles up to 10 s. */
  readonly reconnectDelayMs: number;
  /** Genesys's channel lifetime; topics are subscribed again this long before it ends. */
  readonly channelLifetimeMs: number;
  readonly renewBeforeMs: number;
}

export interface UpstreamChannelsOptions extends UpstreamLimits {
  readonly api: UpstreamNotificationsApi;
  readonly onEvent: (event: NotificationEvent) => void;
  readonly logger: Logger;
  readonly now: () => number;
  /** Waits between reconnection attempts. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly onReconnect?: (reason: string) => void;
  readonly onRejectedTopics?: (count: number) => void;
  readonly onChange?: (channels: number, topics: number) => void;
}

/** One Genesys channel: its socket, and the topics it carries. */
class UpstreamChannel {
  readonly topics = new Set<string>();
  /** As last subscribed upstream. */
  synced: ReadonlySet<string> = new Set();
  socket: WebSocket | undefined;
  lastHeard = 0;

  constructor(
    public id: string,
    public connectUri: string,
    public expiresAt: number,
  ) {}
}

export class UpstreamCapacityError extends Error {}

/**
 * The proxy's channels to Genesys. Every distinct topic any tenant channel wants is subscribed
 * once, on the first channel with room; events are handed to `onEvent` whoever wants them.
 * Sockets that Genesys closes for maintenance, that drop, or that fall silent are replaced and
 * the channel's topics subscribed again, so tenants see at most a gap.
 */
export class UpstreamChannels {
  readonly #options: UpstreamChannelsOptions;
  readonly #channels: UpstreamChannel[] = [];
  #wanted: ReadonlySet<string> = new Set();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #timer: NodeJS.Timeout;

  constructor(options: UpstreamChannelsOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.#watch(), Math.max(50, Math.floor(options.pingIntervalMs / 2)));
    this.#timer.unref();
  }

  get capacity(): number {
    return this.#options.maxChannels * this.#options.maxTopicsPerChannel;
  }

  stats(): { channels: number; topics: number; channelIds: string[] } {
    return { channels: this.#channels.length, topics: this.#channels.reduce((sum, channel) => sum + channel.synced.size, 0), channelIds: this.#channels.map((c) => c.id) };
  }

  /** Makes Genesys carry exactly these topics; resolves once it does (or rejects if it cannot). */
  setTopics(topics: ReadonlySet<string>): Promise<void> {
    if (topics.size > this.capacity) return Promise.reject(new UpstreamCapacityError(`more than ${this.capacity} distinct topics`));
    this.#wanted = new Set(topics);
    return this.#sync();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const channel of this.#channels) this.#retire(channel);
    this.#channels.length = 0;
  }

  /** Syncs run one after another, each with the topics wanted when it starts. */
  #sync(): Promise<void> {
    const run = this.#queue.catch(() => undefined).then(() => this.#syncOnce());
    this.#queue = run;
    return run;
  }

  async #syncOnce(): Promise<void> {
    const wanted = this.#wanted;
    for (const channel of this.#channels) for (const topic of [...channel.topics]) if (!wanted.has(topic)) channel.topics.delete(topic);
    const placed = new Set(this.#channels.flatMap((channel) => [...channel.topics]));
    const unplaced = [...wanted].filter((topic) => !placed.has(topic));
    for (const channel of this.#channels) {
      while (unplaced.length > 0 && channel.topics.size < this.#options.maxTopicsPerChannel) channel.topics.add(unplaced.shift()!);
    }
    while (unplaced.length > 0) {
      const channel = await this.#open();
      while (unplaced.length > 0 && channel.topics.size < this.#options.maxTopicsPerChannel) channel.topics.add(unplaced.shift()!);
    }
    for (const channel of [...this.#channels]) {
      if (channel.topics.size === 0) {
        // Unsubscribed before it goes, so Genesys stops sending what nobody reads.
        this.#channels.splice(this.#channels.indexOf(channel), 1);
        this.#retire(channel);
        await this.#options.api.replaceSubscriptions(channel.id, []).catch((error: unknown) => this.#options.logger.warn({ err: error }, 'unsubscribing a retired channel failed'));
      } else if (!sameSet(channel.topics, channel.synced)) {
        await this.#subscribe(channel);
      }
    }
    this.#options.onChange?.(this.#channels.length, this.stats().topics);
  }

  async #open(): Promise<UpstreamChannel> {
    if (this.#channels.length >= this.#options.maxChannels) throw new UpstreamCapacityError('no channel left');
    const created = await this.#options.api.createChannel();
    const channel = new UpstreamChannel(created.id, created.connectUri, this.#expiry(created.expires));
    await this.#connect(channel);
    this.#channels.push(channel);
    return channel;
  }

  #expiry(expires: string | undefined): number {
    const parsed = expires === undefined ? Number.NaN : Date.parse(expires);
    return Number.isNaN(parsed) ? this.#options.now() + this.#options.channelLifetimeMs : parsed;
  }

  async #subscribe(channel: UpstreamChannel): Promise<void> {
    const topics = [...channel.topics];
    const { rejected } = await this.#options.api.replaceSubscriptions(channel.id, topics);
    channel.synced = new Set(topics);
    if (rejected.length > 0) {
      this.#options.onRejectedTopics?.(rejected.length);
      this.#options.logger.warn({ channel: channel.id, rejected: rejected.length }, 'Genesys refused notification topics');
    }
  }

  /** Opens a socket on the channel's connectUri; the old socket (if any) is left to close. */
  #connect(channel: UpstreamChannel): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(channel.connectUri);
      let opened = false;
      socket.on('open', () => {
        opened = true;
        const previous = channel.socket;
        channel.socket = socket;
        channel.lastHeard = this.#options.now();
        if (previous) this.#retireSocket(previous);
        resolve();
      });
      socket.on('unexpected-response', (_req, res) => {
        reject(new UpstreamSocketError(res.statusCode ?? 0));
        socket.terminate();
      });
      socket.on('error', (error) => {
        if (!opened) reject(error);
      });
      socket.on('message', (data) => this.#onFrame(channel, socket, data.toString()));
      socket.on('close', () => {
        if (opened && channel.socket === socket && !this.#closed) {
          channel.socket = undefined;
          void this.#reconnect(channel, 'drop');
        }
      });
    });
  }

  #onFrame(channel: UpstreamChannel, socket: WebSocket, text: string): void {
    if (channel.socket === socket) channel.lastHeard = this.#options.now();
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(frame) || typeof frame['topicName'] !== 'string') return;
    const topicName = frame['topicName'];
    if (topicName === 'channel.metadata') return;
    if (topicName === 'v2.system.socket_closing') {
      if (channel.socket === socket) void this.#reconnect(channel, 'socket_closing');
      return;
    }
    if (topicName.startsWith('v2.system.')) {
      // no_longer_subscribed and the like: subscribe the channel's topics again.
      channel.synced = new Set();
      void this.#sync().catch((error: unknown) => this.#options.logger.warn({ err: error }, 'resubscribing after a system message failed'));
      return;
    }
    // Only the current socket, and only topics this channel was asked to carry.
    if (channel.socket !== socket || !channel.topics.has(topicName)) return;
    this.#options.onEvent({ topicName, ...(typeof frame['version'] === 'string' ? { version: frame['version'] } : {}), eventBody: frame['eventBody'], metadata: frame['metadata'] });
  }

  /**
   * A new socket on the same channel (Genesys then closes the old one), or, when the channel is
   * gone, a new channel with the same topics. Retried with a growing wait until it works.
   */
  async #reconnect(channel: UpstreamChannel, reason: string): Promise<void> {
    this.#options.onReconnect?.(reason);
    let delay = this.#options.reconnectDelayMs;
    for (let attempt = 0; !this.#closed && this.#channels.includes(channel); attempt += 1) {
      try {
        if (attempt > 0) await this.#options.sleep(delay);
        if (this.#closed) return;
        try {
          await this.#connect(channel);
        } catch (error) {
          if (!(error instanceof UpstreamSocketError) || error.status !== 404) throw error;
          const created = await this.#options.api.createChannel();
          channel.id = created.id;
          channel.connectUri = created.connectUri;
          channel.expiresAt = this.#expiry(created.expires);
          this.#options.onReconnect?.('expired');
          await this.#connect(channel);
        }
        if (reason !== 'socket_closing') await this.#subscribe(channel);
        this.#options.logger.info({ reason, attempt }, 'upstream notification socket reconnected');
        return;
      } catch (error) {
        this.#options.logger.warn({ err: error, reason, attempt }, 'upstream notification socket reconnect failed');
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  #watch(): void {
    const now = this.#options.now();
    for (const channel of this.#channels) {
      const socket = channel.socket;
      if (!socket || socket.readyState !== WebSocket.OPEN) continue;
      const silent = now - channel.lastHeard;
      if (silent > 2 * this.#options.pingIntervalMs) {
        channel.socket = undefined;
        this.#retireSocket(socket);
        void this.#reconnect(channel, 'silence');
      } else if (silent > this.#options.pingIntervalMs) {
        socket.send(JSON.stringify({ message: 'ping' }));
      }
      if (channel.expiresAt - now < this.#options.renewBeforeMs) {
        channel.expiresAt = now + this.#options.channelLifetimeMs;
        this.#subscribe(channel).catch((error: unknown) => this.#options.logger.warn({ err: error }, 'renewing an upstream channel failed'));
      }
    }
  }

  #retire(channel: UpstreamChannel): void {
    const socket = channel.socket;
    channel.socket = undefined;
    if (socket) this.#retireSocket(socket);
  }

  #retireSocket(socket: WebSocket): void {
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    socket.close(1000);
    setTimeout(() => socket.terminate(), 1_000).unref();
  }
}

class UpstreamSocketError extends Error {
  constructor(readonly status: number) {
    super(`the notification socket was refused with HTTP ${status}`);
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}

