import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { ParsedTopic } from '../scoping/notifications/topics.js';

/** A channel a tenant created through the proxy: bound to the tenant and the key that made it. */
export interface TenantChannel {
  readonly id: string;
  readonly tenantId: string;
  readonly keyId: string;
  readonly createdAt: number;
  expiresAt: number;
  /** Expanded topic name → topic. */
  readonly topics: Map<string, ParsedTopic>;
  socket: WebSocket | undefined;
}

/**
 * The tenant channels of this replica. Ids are 256 random bits: the id in a connectUri is the
 * only credential a WebSocket client presents, as with Genesys.
 */
export class TenantChannels {
  readonly #channels = new Map<string, TenantChannel>();
  readonly #maxPerKey: number;

  constructor(maxPerKey: number) {
    this.#maxPerKey = maxPerKey;
  }

  get size(): number {
    return this.#channels.size;
  }

  all(): TenantChannel[] {
    return [...this.#channels.values()];
  }

  /**
   * A new channel. As Genesys does past its limit, the oldest channel of the key without a socket
   * (else the oldest) is removed and returned so that its socket can be closed.
   */
  create(tenantId: string, keyId: string, now: number, lifetimeMs: number): { channel: TenantChannel; replaced: TenantChannel | undefined } {
    const ofKey = this.ofKey(tenantId, keyId);
    let replaced: TenantChannel | undefined;
    if (ofKey.length >= this.#maxPerKey) {
      replaced = ofKey.find((channel) => !channel.socket) ?? ofKey[0]!;
      this.#channels.delete(replaced.id);
    }
    const channel: TenantChannel = { id: randomBytes(32).toString('base64url'), tenantId, keyId, createdAt: now, expiresAt: now + lifetimeMs, topics: new Map(), socket: undefined };
    this.#channels.set(channel.id, channel);
    return { channel, replaced };
  }

  ofKey(tenantId: string, keyId: string): TenantChannel[] {
    return this.all().filter((channel) => channel.tenantId === tenantId && channel.keyId === keyId);
  }

  /** The channel, only for the tenant and key that created it: any other caller is told it does not exist. */
  owned(id: string, tenantId: string, keyId: string): TenantChannel | undefined {
    const channel = this.#channels.get(id);
    return channel && channel.tenantId === tenantId && channel.keyId === keyId ? channel : undefined;
  }

  byId(id: string): TenantChannel | undefined {
    return this.#channels.get(id);
  }

  remove(id: string): void {
    this.#channels.delete(id);
  }
}
