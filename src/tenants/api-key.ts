import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'gdp_';

/** SHA-256 of the whole presented key: a fixed 32 bytes whatever the input length. */
export function digestApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function sha256Hex(key: string): string {
  return digestApiKey(key).toString('hex');
}

/** 256 random bits behind a recognisable prefix, so leaked keys are easy to grep for. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
