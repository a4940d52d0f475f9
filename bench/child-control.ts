/**
 * The child side of the control channel (Node IPC): the orchestrator asks for the process's CPU
 * time before and after each run, so the load generator's own work is never counted.
 */

export interface ControlRequest {
  readonly id: number;
  readonly kind: string;
}

export type ControlHandlers = Record<string, () => unknown>;

export interface Usage {
  /** process.cpuUsage(), user + system, microseconds. */
  readonly cpuUs: number;
  readonly rssBytes: number;
}

export function usage(): Usage {
  const cpu = process.cpuUsage();
  return { cpuUs: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() };
}

/** Answers control requests and announces readiness; the child ends when its parent goes away. */
export function serveControl(ready: Record<string, unknown>, handlers: ControlHandlers = {}): void {
  const all: ControlHandlers = { usage, exit: () => setImmediate(() => process.exit(0)), ...handlers };
  process.on('message', (message: ControlRequest) => {
    const handler = all[message.kind];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown control request ${message.kind}`);
        return handler();
      })
      .then(
        (value) => process.send?.({ kind: 'reply', id: message.id, value }),
        (error: unknown) => process.send?.({ kind: 'reply', id: message.id, error: String(error) }),
      );
  });
  // An orchestrator that dies without cleaning up must not leave servers behind.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ kind: 'ready', ...ready });
}
