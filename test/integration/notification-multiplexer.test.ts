import { queueId, userId } from '../../src/simulator/index.js';
import { buildRegistry } from '../../src/tenants/load-tenants.js';
import { startNotificationRig, type NotificationRig } from '../support/notification-rig.js';
import { openSocket, topicIs, type FrameLog } from '../support/socket-frames.js';
import { testTenantFiles } from '../support/tenants.js';

const presence = (k: number, n: number) => `v2.users.${userId(k, n)}.presence`;
const routing = (k: number, n: number) => `v2.users.${userId(k, n)}.routingStatus`;
const observations = (k: number, n: number) => `v2.analytics.queues.${queueId(k, n)}.observations`;
const topics = (...ids: string[]) => ids.map((id) => ({ id }));

describe('the notification multiplexer against the simulator', () => {
  let rig: NotificationRig;
  beforeEach(async () => {
    rig = await startNotificationRig({ simulator: { notifications: { heartbeatIntervalMs: 60_000, socketClosingGraceMs: 200 } } });
  });
  afterEach(() => rig.close());

  async function channelWith(keyId: 'acme-1' | 'globex-1', ids: string[]): Promise<{ id: string; socket: FrameLog }> {
    const { service } = rig.notifications;
    const channel = service.createChannel(rig.caller(keyId), rig.origin);
    await service.subscribe(rig.caller(keyId), channel.id, topics(...ids), { replace: true, ignoreErrors: false });
    return { id: channel.id, socket: await openSocket(channel.connectUri) };
  }

  it('two tenants each receive only their own users’ and queues’ events', async () => {
    const acme = await channelWith('acme-1', [presence(1, 1), observations(1, 1)]);
    const globex = await channelWith('globex-1', [`v2.users.${userId(3, 1)}?presence&routingStatus`, observations(3, 1)]);
    rig.sim.agents.setPresence(userId(1, 1), 'AWAY');
    rig.sim.agents.setPresence(userId(3, 1), 'BUSY');
    rig.sim.agents.setRoutingStatus(userId(3, 1), 'INTERACTING');
    rig.sim.notifications.publishQueueObservation(queueId(1, 1));
    rig.sim.notifications.publishQueueObservation(queueId(3, 1));
    expect(await acme.socket.next(topicIs(presence(1, 1)))).toMatchObject({ eventBody: { presenceDefinition: { systemPresence: 'AWAY' } } });
    const observed = await acme.socket.next(topicIs(observations(1, 1)));
    expect(JSON.stringify(observed)).not.toContain('oOnQueueUsers');
    await globex.socket.next(topicIs(presence(3, 1)));
    await globex.socket.next(topicIs(routing(3, 1)));
    await globex.socket.next(topicIs(observations(3, 1)));
    const names = (log: FrameLog) => log.frames.map((frame) => String(frame['topicName']));
    expect(names(acme.socket).every((name) => !name.includes(userId(3, 1)) && !name.includes(queueId(3, 1)))).toBe(true);
    expect(names(globex.socket).every((name) => !name.includes(userId(1, 1)) && !name.includes(queueId(1, 1)))).toBe(true);
  });

  it('refuses a foreign or unknown user or queue topic whole, or lists it rejected with ignoreErrors', async () => {
    const { service } = rig.notifications;
    const caller = rig.caller('acme-1');
    const { id } = service.createChannel(caller, rig.origin);
    for (const foreign of [presence(3, 1), observations(3, 1), `v2.users.7e57fa11-0000-4000-8000-000000000000.presence`, `v2.users.${userId(3, 1)}?presence&routingStatus`]) {
      await expect(service.subscribe(caller, id, topics(presence(1, 1), foreign), { replace: false, ignoreErrors: false })).rejects.toMatchObject({ status: 403, code: 'not.authorized' });
    }
    expect(service.subscriptions(caller, id)).toEqual({ entities: [] });
    const lenient = await service.subscribe(caller, id, topics(presence(1, 1), presence(3, 1)), { replace: false, ignoreErrors: true });
    expect(lenient.entities).toEqual([expect.objectContaining({ id: presence(1, 1) }), { id: presence(3, 1), state: 'Rejected', rejectionReason: expect.any(String) }]);
    expect(rig.sim.notifications.channels().flatMap((c) => [...c.topics])).toEqual([presence(1, 1)]);
  });

  it('with 10 tenant channels wanting the same 5 topics, Genesys sees 5 subscriptions on one channel, and every channel gets the events', async () => {
    const wanted = [presence(1, 1), presence(1, 2), routing(1, 1), routing(2, 1), observations(1, 1)];
    const channels = [];
    for (let i = 0; i < 10; i += 1) channels.push(await channelWith(i % 2 === 0 ? 'acme-1' : 'acme-1', wanted));
    const upstream = rig.sim.notifications.channels();
    expect(upstream).toHaveLength(1);
    expect([...upstream[0]!.topics].sort()).toEqual([...wanted].sort());
    rig.sim.agents.setPresence(userId(1, 2), 'MEAL');
    for (const channel of channels) await channel.socket.next(topicIs(presence(1, 2)));
    const metrics = await rig.metrics.registry.getMetricsAsJSON();
    const value = (name: string) => metrics.find((m) => m.name === name)?.values[0]?.value;
    expect(value('gdp_notification_upstream_channels')).toBe(1);
    expect(value('gdp_notification_upstream_topics')).toBe(5);
    expect(value('gdp_notification_tenant_channels')).toBe(10);
  });

  it('survives Genesys’s socket_closing and a dropped socket: events keep arriving', async () => {
    const acme = await channelWith('acme-1', [presence(1, 1)]);
    const upstreamId = rig.sim.notifications.channels()[0]!.id;
    rig.sim.notifications.socketClosing(200);
    await waitFor(() => rig.sim.notifications.channels()[0]!.connections === 2);
    rig.sim.agents.setPresence(userId(1, 1), 'AWAY');
    await acme.socket.next((f) => f['topicName'] === presence(1, 1) && JSON.stringify(f).includes('AWAY'));
    rig.sim.notifications.dropSockets();
    await waitFor(() => rig.sim.notifications.channels()[0]!.connections === 3 && rig.sim.notifications.channels()[0]!.socket !== undefined);
    rig.sim.agents.setPresence(userId(1, 1), 'BUSY');
    await acme.socket.next((f) => f['topicName'] === presence(1, 1) && JSON.stringify(f).includes('BUSY'));
    expect(rig.sim.notifications.channels().map((c) => c.id)).toEqual([upstreamId]);
    rig.sim.notifications.expireAll();
    await waitFor(() => rig.sim.notifications.channels().length === 1 && rig.sim.notifications.channels()[0]!.socket !== undefined && rig.sim.notifications.channels()[0]!.topics.size === 1);
    expect([...rig.sim.notifications.channels()[0]!.topics]).toEqual([presence(1, 1)]);
    rig.sim.agents.setPresence(userId(1, 1), 'MEAL');
    await acme.socket.next((f) => f['topicName'] === presence(1, 1) && JSON.stringify(f).includes('MEAL'));
  });

  it('closes a removed key’s socket within the revalidation interval and forgets its channel', async () => {
    const globex = await channelWith('globex-1', [presence(3, 2)]);
    const acme = await channelWith('acme-1', [presence(1, 3)]);
    rig.tenants.replace(buildRegistry(testTenantFiles().filter((file) => file.file !== 'globex.yaml')));
    expect(await globex.socket.closed(2_000)).toBe(1008);
    expect(rig.notifications.service.canConnect(globex.id)).toBe(false);
    await waitFor(() => [...rig.sim.notifications.channels()[0]!.topics].join() === presence(1, 3));
    rig.sim.agents.setPresence(userId(1, 3), 'AWAY');
    await acme.socket.next(topicIs(presence(1, 3)));
  });

  it('answers pings, checks subscriptions made inside the socket like REST ones, and drops a slow consumer', async () => {
    const acme = await channelWith('acme-1', [presence(1, 1)]);
    acme.socket.socket.send(JSON.stringify({ message: 'ping' }));
    await acme.socket.next((f) => f['topicName'] === 'channel.metadata' && (f['eventBody'] as { message: string }).message === 'pong');
    acme.socket.socket.send(JSON.stringify({ message: 'subscribe', topics: [presence(3, 1)], correlationId: 'foreign' }));
    expect(await acme.socket.next((f) => f['correlationId'] === 'foreign')).toMatchObject({ result: '403' });
    acme.socket.socket.send(JSON.stringify({ message: 'subscribe', topics: [routing(2, 2)], correlationId: 'own' }));
    expect(await acme.socket.next((f) => f['correlationId'] === 'own')).toMatchObject({ result: '200', status: 'subscribed' });
    rig.sim.agents.setRoutingStatus(userId(2, 2), 'IDLE');
    await acme.socket.next(topicIs(routing(2, 2)));
    expect([...rig.sim.notifications.channels()[0]!.topics].sort()).toEqual([presence(1, 1), routing(2, 2)].sort());
  });
});

describe('a silent upstream socket', () => {
  let rig: NotificationRig;
  beforeAll(async () => {
    rig = await startNotificationRig({ upstream: { pingIntervalMs: 200 } });
  });
  afterAll(() => rig.close());

  it('is pinged, then replaced when no answer comes, and events flow again', async () => {
    const { service } = rig.notifications;
    const caller = rig.caller('acme-1');
    const channel = service.createChannel(caller, rig.origin);
    await service.subscribe(caller, channel.id, topics(presence(1, 1)), { replace: true, ignoreErrors: false });
    const socket = await openSocket(channel.connectUri);
    rig.sim.notifications.silence();
    await waitFor(() => rig.sim.notifications.channels()[0]!.connections === 2 && rig.sim.notifications.channels()[0]!.socket !== undefined);
    rig.sim.agents.setPresence(userId(1, 1), 'MEAL');
    await socket.next((f) => f['topicName'] === presence(1, 1) && JSON.stringify(f).includes('MEAL'));
    const reconnects = (await rig.metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'gdp_notification_upstream_reconnects_total')?.values;
    expect(reconnects).toContainEqual(expect.objectContaining({ labels: { reason: 'silence' }, value: 1 }));
  });
});

describe('channel lifetime', () => {
  let rig: NotificationRig;
  let clock = Date.UTC(2026, 10, 30, 8);
  beforeAll(async () => {
    rig = await startNotificationRig({ now: () => clock, limits: { revalidateIntervalMs: 60_000 } });
  });
  afterAll(() => rig.close());

  it('lasts 24 h after its last subscription change, then its socket closes and the channel is gone', async () => {
    const caller = rig.caller('acme-1');
    const { service } = rig.notifications;
    const channel = service.createChannel(caller, rig.origin);
    expect(channel.expires).toBe(new Date(clock + 86_400_000).toISOString());
    clock += 20 * 3_600_000;
    await service.subscribe(caller, channel.id, topics(presence(1, 1)), { replace: true, ignoreErrors: false });
    const socket = await openSocket(channel.connectUri);
    clock += 23 * 3_600_000;
    service.revalidate();
    expect(service.hasChannel(caller, channel.id)).toBe(true);
    clock += 2 * 3_600_000;
    service.revalidate();
    expect(await socket.closed()).toBe(1001);
    expect(service.hasChannel(caller, channel.id)).toBe(false);
    await waitFor(() => rig.sim.notifications.channels().every((c) => c.topics.size === 0 && !c.socket));
  });

  it('keeps 20 channels per key: the 21st replaces the oldest one without a socket', async () => {
    const caller = rig.caller('globex-1');
    const { service } = rig.notifications;
    const first = service.createChannel(caller, rig.origin);
    const second = service.createChannel(caller, rig.origin);
    await openSocket(first.connectUri);
    for (let i = 0; i < 18; i += 1) service.createChannel(caller, rig.origin);
    expect(service.listChannels(caller, rig.origin).entities).toHaveLength(20);
    service.createChannel(caller, rig.origin);
    const ids = service.listChannels(caller, rig.origin).entities.map((c) => c.id);
    expect(ids).toHaveLength(20);
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(second.id);
    expect(service.listChannels(rig.caller('acme-1'), rig.origin).entities.map((c) => c.id)).not.toContain(first.id);
  });
});

describe('limits from the settings', () => {
  let rig: NotificationRig;
  beforeAll(async () => {
    rig = await startNotificationRig({
      env: { NOTIFICATION_CHANNELS_PER_KEY: '3', NOTIFICATION_TOPICS_PER_CHANNEL: '2', NOTIFICATION_UPSTREAM_CHANNELS: '2', NOTIFICATION_UPSTREAM_TOPICS_PER_CHANNEL: '500' },
    });
  });
  afterAll(() => rig.close());

  it('keeps NOTIFICATION_CHANNELS_PER_KEY channels per key and NOTIFICATION_TOPICS_PER_CHANNEL topics per channel', async () => {
    const caller = rig.caller('acme-1');
    const { service } = rig.notifications;
    const first = service.createChannel(caller, rig.origin);
    for (let i = 0; i < 3; i += 1) service.createChannel(caller, rig.origin);
    const ids = service.listChannels(caller, rig.origin).entities.map((c) => c.id);
    expect(ids).toHaveLength(3);
    expect(ids).not.toContain(first.id);
    const channel = ids[0]!;
    await service.subscribe(caller, channel, topics(presence(1, 1), presence(1, 2)), { replace: true, ignoreErrors: false });
    await expect(service.subscribe(caller, channel, topics(presence(1, 3)), { replace: false, ignoreErrors: false })).rejects.toMatchObject({
      status: 400,
      message: 'A channel may hold at most 2 topics.',
    });
  });

  it('holds the Genesys channels and topics that NOTIFICATION_UPSTREAM_* allow, and says so in the metrics', async () => {
    const limits = Object.fromEntries(
      (await rig.metrics.registry.getMetricsAsJSON()).filter((m) => m.name.endsWith('_limit')).map((m) => [m.name, m.values[0]?.value]),
    );
    expect(limits).toMatchObject({ gdp_notification_upstream_channel_limit: 2, gdp_notification_upstream_topic_limit: 500 });
  });
});

describe('back-pressure', () => {
  let rig: NotificationRig;
  beforeAll(async () => {
    rig = await startNotificationRig({ env: { NOTIFICATION_MAX_BUFFERED_BYTES: String(64 * 1024) } });
  });
  afterAll(() => rig.close());

  it('closes a tenant socket that does not read instead of buffering without bound', async () => {
    const caller = rig.caller('acme-1');
    const { service } = rig.notifications;
    const slow = service.createChannel(caller, rig.origin);
    const fast = service.createChannel(caller, rig.origin);
    for (const channel of [slow, fast]) await service.subscribe(caller, channel.id, topics(presence(1, 1)), { replace: true, ignoreErrors: false });
    const slowSocket = await openSocket(slow.connectUri);
    const fastSocket = await openSocket(fast.connectUri);
    (slowSocket.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const body = { source: 'PURECLOUD', presenceDefinition: { id: 'x', systemPresence: 'AVAILABLE' }, message: 'x'.repeat(4_000) };
    const dropped = async () => (await rig.metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'gdp_notification_slow_consumer_disconnects_total')?.values[0]?.value ?? 0;
    for (let burst = 0; burst < 100 && (await dropped()) === 0; burst += 1) {
      rig.sim.notifications.flood(presence(1, 1), body, 100);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await dropped()).toBe(1);
    expect(fastSocket.socket.readyState).toBe(fastSocket.socket.OPEN);
    (slowSocket.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await slowSocket.closed(10_000);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
