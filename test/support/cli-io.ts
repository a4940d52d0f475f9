import type { CliIo } from '../../src/cli/io.js';

export function bufferedIo(env: Record<string, string | undefined> = {}, now = () => Date.parse('2026-11-23T12:00:00Z')): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env,
    now,
    stdout: () => out,
    stderr: () => err,
  };
}
