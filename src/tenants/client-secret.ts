import { readFileSync } from 'node:fs';
import type { SecretSource } from './tenant.js';

/** Why a secret could not be read, naming its source but never its value: safe to log. */
export class SecretSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretSourceError';
  }
}

/**
 * Reads a tenant client's secret from its source, now: at load to validate the file, and at every
 * login so that a rotated secret (a re-mounted Kubernetes Secret, a changed variable) is used.
 */
export function readClientSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in source) {
    const value = env[source.env]?.trim();
    if (!value) throw new SecretSourceError(`environment variable ${source.env} is not set or empty`);
    return value;
  }
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'unreadable';
    throw new SecretSourceError(`secret file ${source.file} cannot be read (${code})`);
  }
  const value = text.trim();
  if (!value) throw new SecretSourceError(`secret file ${source.file} is empty`);
  return value;
}
