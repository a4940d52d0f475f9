import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Every child still running, so that any exit path can kill them all. */
const running = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly ready: Record<string, unknown>;
  ask<T>(kind: string, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit and waits (bounded) for it; killed if it does not. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Forks a compiled child script and waits for its `ready` message. */
export function startChild(name: string, script: string, env: Record<string, string>, startTimeoutMs = 60_000): Promise<Child> {
  const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    running.delete(child);
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited (${code ?? signal}): ${stderr.trim()}`));
    pending.clear();
  });

  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${startTimeoutMs} ms: ${stderr.trim()}`)), startTimeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${code ?? signal}): ${stderr.trim()}`));
    });
    child.on('message', (message: { kind: string; id?: number; value?: unknown; error?: string }) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve({
          name,
          pid: child.pid!,
          ready: message as Record<string, unknown>,
          ask<T>(kind: string, timeoutMs = 30_000): Promise<T> {
            const id = nextId++;
            return new Promise<T>((done, fail) => {
              const guard = setTimeout(() => {
                pending.delete(id);
                fail(new Error(`${name} did not answer ${kind} within ${timeoutMs} ms`));
              }, timeoutMs);
              pending.set(id, {
                resolve: (value) => (clearTimeout(guard), done(value as T)),
                reject: (error) => (clearTimeout(guard), fail(error)),
              });
              child.send({ id, kind });
            });
          },
          async stop(timeoutMs = 5_000) {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.send({ id: 0, kind: 'exit' });
            const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
            await exited;
            clearTimeout(killer);
          },
        });
      } else if (message.kind === 'reply' && message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(`${name}: ${message.error}`));
        else waiter?.resolve(message.value);
      }
    });
  });
}

/** VmRSS or VmHWM (peak RSS) of a process, in bytes, from /proc (Linux). */
export function procMemory(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets VmHWM to the current RSS (writing 5 to clear_refs), so the next peak is the run's own. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
