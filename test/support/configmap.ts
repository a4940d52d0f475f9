import { mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Lays out `files` in `dir` exactly as the kubelet mounts a ConfigMap, and updates it the way
 * the kubelet does: a new timestamped folder, `..data` swapped to it in one rename, each key a
 * link through `..data`, then the old folder removed.
 */
export async function writeConfigMapVolume(dir: string, files: Record<string, string>, generation: number): Promise<void> {
  const timestamped = `..2026_11_30_22_00_0${generation}.${1000 + generation}`;
  await mkdir(path.join(dir, timestamped));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, timestamped, name), text);
  const previous = await readlink(path.join(dir, '..data')).catch(() => undefined);
  await symlink(timestamped, path.join(dir, '..data_tmp'));
  await rename(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  const entries = await readdir(dir);
  for (const name of Object.keys(files)) if (!entries.includes(name)) await symlink(`..data/${name}`, path.join(dir, name));
  for (const name of entries) if (!name.startsWith('..') && !(name in files)) await rm(path.join(dir, name));
  if (previous) await rm(path.join(dir, previous), { recursive: true });
}
