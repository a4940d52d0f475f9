import { WebSocket } from 'ws';

export type Frame = Record<string, unknown>;

export interface FrameLog {
  readonly socket: WebSocket;
  readonly frames: Frame[];
  /** Resolves with the first frame (already received or still to come) that passes `test`. */
  next(test: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves when the socket has closed, with its close code. */
  closed(timeoutMs?: number): Promise<number>;
}

/** Opens a socket and records every JSON frame it receives. */
export async function openSocket(url: string): Promise<FrameLog> {
  const socket = new WebSocket(url);
  const log = recordFrames(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return log;
}

export function recordFrames(socket: WebSocket): FrameLog {
  const frames: Frame[] = [];
  let closeCode: number | undefined;
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
  socket.on('close', (code) => {
    closeCode = code;
  });
  socket.on('error', () => undefined);
  const poll = async <T>(probe: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    socket,
    frames,
    next: (test, timeoutMs = 5_000) => poll(() => frames.find(test), timeoutMs, () => `a frame; got ${JSON.stringify(frames).slice(0, 2000)}`),
    closed: (timeoutMs = 5_000) => poll(() => closeCode, timeoutMs, () => 'the socket to close'),
  };
}

export const topicIs = (topicName: string) => (frame: Frame): boolean => frame['topicName'] === topicName;
