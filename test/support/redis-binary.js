// Plain JavaScript: `npm test` runs it (pretest) before anything is compiled, and jest's global
// setup loads it without the test transform.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export const REDIS_SERVER_MISSING =
  'redis-server is not installed; the tests start their own on a free port. Install it: sudo apt-get install redis-server (Debian/Ubuntu), brew install redis (macOS), or put redis-server on PATH.';

export function redisServerInstalled() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** A loopback port nobody listens on right now, for a process the test starts itself. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a redis-server that keeps nothing on disk on a loopback port; resolves once it accepts connections. */
export async function spawnRedisServer(port) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  let failure;
  child.once('error', (error) => {
    failure = new Error(error.code === 'ENOENT' ? REDIS_SERVER_MISSING : `redis-server did not start: ${error.message}`);
  });
  for (let i = 0; i < 100; i++) {
    if (failure) throw failure;
    if (await canConnect(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw failure ?? new Error('redis-server did not start');
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && !redisServerInstalled()) {
  process.stderr.write(`${REDIS_SERVER_MISSING}\n`);
  process.exit(1);
}
