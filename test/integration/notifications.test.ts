import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { queueId, userId } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { divisionIndexesOf, foreignIdPattern } from '../support/leaks.js';
import { openSocket, topicIs, type FrameLog } from '../support/socket-frames.js';
import { keys, testTenantFiles } from '../support/tenants.js';
import { genesysTokensSeen } from '../support/upstream-audit.js';
import { loadSdk, type LoadedSdk, type SdkApiClient } from '../support/sdk.js';

interface ChannelTopic {
  id?: string;
  state?: string;
  rejectionReason?: string;
}
interface NotificationsApi {
  postNotificationsChannels(): Promise<{ id?: string; connectUri?: string; expires?: string }>;
  putNotificationsChannelSubscriptions(channelId: string, body: ChannelTopic[], opts?: { ignoreErrors?: boolean }): Promise<{ entities?: ChannelTopic[] }>;
  postNotificationsChannelSubscriptions(channelId: string, body: ChannelTopic[], opts?: { ignoreErrors?: boolean }): Promise<{ entities?: ChannelTopic[] }>;
  getNotificationsChannelSubscriptions(channelId: string): Promise<{ entities?: ChannelTopic[] }>;
  deleteNotificationsChannelSubscriptions(channelId: string): Promise<void>;
  headNotificationsChannel(channelId: string): Promise<void>;
  getNotificationsAvailabletopics(opts?: { expand?: string[] }): Promise<{ entities?: { id?: string }[] }>;
}
interface PlatformClient {
  ApiClient: { instance: unknown };
  NotificationsApi: new () => NotificationsApi;
}

const presence = (k: number, n: number) => `v2.users.${userId(k, n)}.presence`;
const observations = (k: number, n: number) => `v2.analytics.queues.${queueId(k, n)}.observations`;

describe('notification channels through the proxy', () => {
  let h: Harness;
  let sdk: LoadedSdk<PlatformClient>;
  let tenantsDir: string;
  let api: NotificationsApi;
  let client: SdkApiClient;
  /** Every byte a tenant received in these tests, REST and socket. */
  const received: string[] = [];
  const sockets: FrameLog[] = [];

  beforeAll(async () => {
    tenantsDir = await mkdtemp(path.join(os.tmpdir(), 'tenants-'));
    for (const { file, text } of testTenantFiles()) await writeFile(path.join(tenantsDir, file), text);
    sdk = await loadSdk<PlatformClient>();
    client = sdk.client;
    h = await startHarness({ tenantsDir, notifications: { limits: { revalidateIntervalMs: 100, heartbeatIntervalMs: 200 } } });
    sdk.useProxy(h.url);
    api = new sdk.platformClient.NotificationsApi();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.socket.terminate();
    await h.close();
    await sdk.unload();
    await rm(tenantsDir, { recursive: true, force: true });
  });

  async function connect(uri: string): Promise<FrameLog> {
    const socket = await openSocket(uri);
    socket.socket.on('message', (data) => received.push(data.toString()));
    sockets.push(socket);
    return socket;
  }

  it('SDK: creates a channel whose connectUri is the proxy’s own socket, subscribes, and receives own events only', async () => {
    client.setAccessToken(keys.acme);
    const channel = await api.postNotificationsChannels();
    received.push(JSON.stringify(channel));
    expect(channel.connectUri).toBe(`ws://127.0.0.1:${new URL(h.url).port}/channels/${channel.id}`);
    expect(channel.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listing = await api.putNotificationsChannelSubscriptions(channel.id!, [{ id: `v2.users.${userId(1, 1)}?presence&routingStatus` }, { id: observations(2, 1) }]);
    received.push(JSON.stringify(listing));
    expect(listing.entities?.map((t) => t.id).sort()).toEqual([presence(1, 1), `v2.users.${userId(1, 1)}.routingStatus`, observations(2, 1)].sort());
    const socket = await connect(channel.connectUri!);
    h.sim.agents.setPresence(userId(1, 1), 'AWAY');
    h.sim.agents.setPresence(userId(3, 1), 'AWAY');
    h.sim.notifications.publishQueueObservation(queueId(2, 1));
    h.sim.notifications.publishQueueObservation(queueId(3, 1));
    await socket.next(topicIs(presence(1, 1)));
    await socket.next(topicIs(observations(2, 1)));
    await socket.next((f) => f['topicName'] === 'channel.metadata' && (f['eventBody'] as { message: string }).message === 'WebSocket Heartbeat');
    expect(JSON.stringify(socket.frames)).not.toMatch(foreignIdPattern(divisionIndexesOf.acme));
    expect((await api.getNotificationsChannelSubscriptions(channel.id!)).entities).toHaveLength(3);
    await api.headNotificationsChannel(channel.id!);
    await api.deleteNotificationsChannelSubscriptions(channel.id!);
    expect((await api.getNotificationsChannelSubscriptions(channel.id!)).entities).toEqual([]);
  });

  it('SDK: a foreign or unknown topic refuses the whole request with 403, or is listed rejected with ignoreErrors', async () => {
    client.setAccessToken(keys.globex);
    const { id } = await api.postNotificationsChannels();
    for (const foreign of [presence(1, 1), observations(1, 1), 'v2.users.7e57fa11-0000-4000-8000-000000000000.presence']) {
      await expect(api.postNotificationsChannelSubscriptions(id!, [{ id: presence(3, 1) }, { id: foreign }])).rejects.toMatchObject({ status: 403, code: 'not.authorized' });
    }
    const lenient = await api.postNotificationsChannelSubscriptions(id!, [{ id: presence(3, 1) }, { id: presence(1, 1) }], { ignoreErrors: true });
    received.push(JSON.stringify(lenient));
    expect(lenient.entities).toEqual([expect.objectContaining({ id: presence(3, 1) }), { id: presence(1, 1), state: 'Rejected', rejectionReason: expect.any(String) }]);
  });

  it('another tenant’s channel id answers 404 everywhere, like one that does not exist', async () => {
    const acme = await request(h.url).post('/api/v2/notifications/channels').set('X-API-Key', keys.acme).expect(200);
    received.push(acme.text);
    const id = (acme.body as { id: string }).id;
    for (const target of [id, 'no-such-channel']) {
      await request(h.url).head(`/api/v2/notifications/channels/${target}`).set('X-API-Key', keys.globex).expect(404);
      const res = await request(h.url).get(`/api/v2/notifications/channels/${target}/subscriptions`).set('X-API-Key', keys.globex).expect(404);
      expect(res.body).toMatchObject({ code: 'not.found', status: 404 });
    }
    await expect(openSocket(`ws://127.0.0.1:${new URL(h.url).port}/channels/no-such-channel`)).rejects.toThrow('HTTP 404');
  });

  it('answers wss:// when the proxy is reached over TLS', async () => {
    const res = await request(h.url).post('/api/v2/notifications/channels').set('X-API-Key', keys.acme).set('X-Forwarded-Proto', 'https').set('Host', 'proxy.example.com').expect(200);
    expect((res.body as { connectUri: string }).connectUri).toMatch(/^wss:\/\/proxy\.example\.com\/channels\/[A-Za-z0-9_-]{43}$/);
  });

  it('lists only the topics the proxy serves as available', async () => {
    client.setAccessToken(keys.acme);
    const ids = (await api.getNotificationsAvailabletopics({ expand: ['description'] })).entities?.map((t) => t.id);
    expect(ids).toContain('v2.users.{id}.presence');
    expect(ids).not.toContain('v2.users.{id}.geolocation');
  });

  it('closes a removed key’s socket within the reload interval', async () => {
    const channel = (await request(h.url).post('/api/v2/notifications/channels').set('X-API-Key', keys.globex).expect(200)).body as { id: string; connectUri: string };
    await request(h.url).put(`/api/v2/notifications/channels/${channel.id}/subscriptions`).set('X-API-Key', keys.globex).send([{ id: presence(3, 2) }]).expect(200);
    const socket = await connect(channel.connectUri);
    const started = Date.now();
    await unlink(path.join(tenantsDir, 'globex.yaml'));
    expect(await socket.closed(3_000)).toBe(1008);
    expect(Date.now() - started).toBeLessThan(Number(h.settings.tenantsReloadIntervalMs) + 1_500);
    await expect(openSocket(channel.connectUri)).rejects.toThrow('HTTP 404');
  });

  it('never gives a tenant Genesys’s channel id, connectUri or token', () => {
    const everything = received.join('\n');
    expect(everything.length).toBeGreaterThan(1_000);
    const simulatorPort = new URL(h.simulator.url).port;
    for (const upstream of h.sim.notifications.channels()) expect(everything).not.toContain(upstream.id);
    expect(everything).not.toContain('streaming-');
    expect(everything).not.toContain(`:${simulatorPort}`);
    for (const token of genesysTokensSeen(h.sim.requestLog)) expect(everything).not.toContain(token);
  });
});
