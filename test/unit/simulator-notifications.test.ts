import request from 'supertest';
import { createSimulator, queueId, userId, type RunningSimulator, type Simulator } from '../../src/simulator/index.js';
import { openSocket } from '../support/socket-frames.js';

describe('the simulator’s notification service', () => {
  let sim: Simulator;
  let running: RunningSimulator;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    sim = createSimulator({ notifications: { heartbeatIntervalMs: 100, maxTopicsPerChannel: 3, maxChannels: 2, socketClosingGraceMs: 50 } });
    running = await sim.listen(0);
    const login = await request(running.url).post('/oauth/token').auth('sim-client-id', 'sim-client-secret').type('form').send('grant_type=client_credentials').expect(200);
    token = (login.body as { access_token: string }).access_token;
  });
  afterAll(() => running.close());

  it('creates a channel, subscribes, and sends presence changes, heartbeats and pongs on its socket', async () => {
    const channel = (await request(running.url).post('/api/v2/notifications/channels').set(auth()).expect(200)).body as { id: string; connectUri: string; expires: string };
    expect(channel.connectUri).toBe(`${running.url.replace('http', 'ws')}/channels/${channel.id}`);
    await request(running.url).put(`/api/v2/notifications/channels/${channel.id}/subscriptions`).set(auth()).send([{ id: `v2.users.${userId(1, 1)}?presence&routingStatus` }]).expect(200);
    const frames = await openSocket(channel.connectUri);
    const ws = frames.socket;
    sim.agents.setPresence(userId(1, 1), 'AWAY');
    sim.agents.setRoutingStatus(userId(1, 1), 'IDLE');
    sim.agents.setPresence(userId(1, 2), 'AWAY');
    expect(await frames.next((f) => f['topicName'] === `v2.users.${userId(1, 1)}.presence`)).toMatchObject({ eventBody: { presenceDefinition: { systemPresence: 'AWAY' } } });
    expect(await frames.next((f) => f['topicName'] === `v2.users.${userId(1, 1)}.routingStatus`)).toMatchObject({ eventBody: { id: userId(1, 1), routingStatus: { status: 'IDLE' } } });
    await frames.next((f) => f['topicName'] === 'channel.metadata' && (f['eventBody'] as { message: string }).message === 'WebSocket Heartbeat');
    ws.send(JSON.stringify({ message: 'ping' }));
    await frames.next((f) => (f['eventBody'] as { message?: string } | undefined)?.message === 'pong');
    expect(frames.frames.some((f) => String(f['topicName']).includes(userId(1, 2)))).toBe(false);
    sim.notifications.socketClosing();
    await frames.next((f) => f['topicName'] === 'v2.system.socket_closing');
    await frames.closed();
  });

  it('refuses a whole subscription for one unknown topic, or lists it as rejected with ignoreErrors', async () => {
    const { id } = (await request(running.url).post('/api/v2/notifications/channels').set(auth()).expect(200)).body as { id: string };
    const topics = [{ id: `v2.users.${userId(1, 1)}.presence` }, { id: 'v2.users.7e57fa11-0000-4000-8000-000000000000.presence' }];
    await request(running.url).post(`/api/v2/notifications/channels/${id}/subscriptions`).set(auth()).send(topics).expect(403);
    expect((await request(running.url).get(`/api/v2/notifications/channels/${id}/subscriptions`).set(auth()).expect(200)).body).toEqual({ entities: [] });
    const lenient = await request(running.url).post(`/api/v2/notifications/channels/${id}/subscriptions?ignoreErrors=true`).set(auth()).send(topics).expect(200);
    expect(lenient.body.entities).toEqual([
      expect.objectContaining({ id: topics[0]!.id }),
      expect.objectContaining({ id: topics[1]!.id, state: 'Rejected', rejectionReason: expect.any(String) }),
    ]);
    await request(running.url).post(`/api/v2/notifications/channels/${id}/subscriptions`).set(auth()).send([{ id: `v2.analytics.queues.${queueId(1, 1)}.observations` }, { id: `v2.users.${userId(1, 2)}?presence&routingStatus` }]).expect(400);
    await request(running.url).head(`/api/v2/notifications/channels/${id}`).set(auth()).expect(200);
    await request(running.url).head('/api/v2/notifications/channels/streaming-0-nope').set(auth()).expect(404);
  });

  it('replaces the oldest unconnected channel past the channel limit', async () => {
    sim.notifications.expireAll();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push(((await request(running.url).post('/api/v2/notifications/channels').set(auth()).expect(200)).body as { id: string }).id);
    expect(sim.notifications.channels().map((c) => c.id)).toEqual(ids.slice(1));
  });
});
