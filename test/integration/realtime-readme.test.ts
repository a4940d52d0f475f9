import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { queueId, userId } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

/** The README's `ws` client, run as it is written, against the real proxy. */
const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('<!-- realtime-snippet:start -->'), readme.indexOf('<!-- realtime-snippet:end -->'));
const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];

describe('the README’s real-time client', () => {
  let h: Harness;
  const file = path.resolve(`.readme-realtime-${process.pid}.mjs`);
  beforeAll(async () => {
    h = await startHarness();
    await writeFile(file, snippet ?? '');
  });
  afterAll(async () => {
    await unlink(file).catch(() => undefined);
    await h.close();
  });

  it('runs and prints the tenant’s agent and queue events', async () => {
    expect(snippet).toBeDefined();
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, GDP_URL: h.url, GDP_API_KEY: keys.acme, AGENT_ID: userId(1, 4), QUEUE_ID: queueId(1, 2) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    try {
      const deadline = Date.now() + 15_000;
      const upstreamHas = (topic: string) => h.sim.notifications.channels().some((channel) => channel.topics.has(topic));
      while (!upstreamHas(`v2.analytics.queues.${queueId(1, 2)}.observations`) || !h.sim.notifications.channels()[0]?.socket) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the snippet did not subscribe: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The client's own socket must be open too before the events are sent.
      await new Promise((resolve) => setTimeout(resolve, 300));
      h.sim.agents.setRoutingStatus(userId(1, 4), 'INTERACTING');
      h.sim.notifications.publishQueueObservation(queueId(1, 2));
      while (!(out.includes(`v2.users.${userId(1, 4)}.routingStatus`) && out.includes(`v2.analytics.queues.${queueId(1, 2)}.observations`))) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no events printed: ${out} ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(JSON.parse(out.split('\n').find((line) => line.includes('routingStatus'))!)).toMatchObject({ body: { id: userId(1, 4), routingStatus: { status: 'INTERACTING' } } });
    } finally {
      child.kill();
    }
  });
});
