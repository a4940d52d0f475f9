import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface IgnoredEntry {
  readonly file: string;
  readonly reason: string;
}

export interface TenantFolderListing {
  /** The folder after following links: every tenant file must resolve inside it. */
  readonly root: string;
  /** Tenant files, by their name in the folder, with the real file each one resolves to. */
  readonly files: readonly { readonly file: string; readonly realFile: string }[];
  /** Entries that are not read, each with why, for `validate` and the log. */
  readonly ignored: readonly IgnoredEntry[];
  /** Entries that look like tenant files but cannot be used: they stop the load. */
  readonly refused: readonly IgnoredEntry[];
}

export const TENANT_FILE_EXTENSION = /\.(ya?ml|json)$/i;

/**
 * Lists the tenant files of a folder the way Kubernetes, Docker and git-sync present them: an
 * entry may be a link (a ConfigMap's `acme.yaml -> ..data/acme.yaml`), so each one is resolved
 * first and kept only if it is a regular file inside the folder's own target. A link that leads
 * out of the folder is refused rather than followed.
 */
export async function listTenantFolder(dir: string): Promise<TenantFolderListing> {
  const root = await realpath(dir);
  const names = (await readdir(root)).sort();
  const files: { file: string; realFile: string }[] = [];
  const ignored: IgnoredEntry[] = [];
  const refused: IgnoredEntry[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    // `..data` and `..2026_…` are the ConfigMap's own bookkeeping: not worth a line.
    if (name.startsWith('..')) continue;
    if (name.startsWith('.') || name.startsWith('_')) {
      ignored.push({ file, reason: 'the name starts with "." or "_"' });
      continue;
    }
    if (!TENANT_FILE_EXTENSION.test(name)) {
      ignored.push({ file, reason: 'not a .yaml, .yml or .json file' });
      continue;
    }
    const realFile = await realpath(file).catch(() => undefined);
    if (realFile === undefined) {
      ignored.push({ file, reason: 'a link to nothing' });
      continue;
    }
    if (!isInside(root, realFile)) {
      refused.push({ file, reason: `links outside the tenants folder (to ${realFile}); copy the file into the folder instead` });
      continue;
    }
    const info = await stat(realFile).catch(() => undefined);
    if (!info?.isFile()) {
      ignored.push({ file, reason: 'not a regular file' });
      continue;
    }
    files.push({ file, realFile });
  }
  return { root, files, ignored, refused };
}

/**
 * What the folder looks like now, cheap enough to poll: a change of any tenant file's content,
 * of where a link points (the atomic `..data` swap) or of the folder's own target shows up here.
 */
export async function tenantFolderFingerprint(dir: string): Promise<string> {
  try {
    const listing = await listTenantFolder(dir);
    const parts = await Promise.all(
      listing.files.map(async ({ file, realFile }) => {
        const info = await stat(realFile).catch(() => undefined);
        return info ? `${file}>${realFile}:${info.size}:${info.mtimeMs}:${info.ino}` : file;
      }),
    );
    return [listing.root, ...parts, ...listing.ignored.map((e) => e.file), ...listing.refused.map((e) => e.file)].join('|');
  } catch {
    return 'unreadable';
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
