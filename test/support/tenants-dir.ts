import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testTenantFiles } from './tenants.js';

/** A temporary tenants folder holding the test tenants' files, for proxies that watch it. */
export async function testTenantsDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  for (const { file, text } of testTenantFiles()) await writeFile(path.join(dir, file), text);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
