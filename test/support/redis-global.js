// One throwaway Redis on a free loopback port for the whole test run, handed to the tests as
// GDP_TEST_REDIS_URL (the workers inherit the environment): the tests never write into a Redis
// someone else runs. Without redis-server the run stops here with one line saying how to install it.
import { freePort, REDIS_SERVER_MISSING, redisServerInstalled, spawnRedisServer } from './redis-binary.js';

let child;

export async function setup() {
  if (!redisServerInstalled()) {
    process.stderr.write(`\n${REDIS_SERVER_MISSING}\n`);
    process.exit(1);
  }
  const port = await freePort();
  child = await spawnRedisServer(port);
  process.env.GDP_TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
}

export async function teardown() {
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}
