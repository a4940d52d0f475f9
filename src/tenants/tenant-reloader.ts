import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadTenantsFromDir, TenantConfigError, type TenantConfigProblem } from './load-tenants.js';
import type { TenantStore } from './tenant-store.js';

export type ReloadOutcome =
  | { readonly ok: true; readonly tenants: number; readonly changed: boolean }
  | { readonly ok: false; readonly problems: readonly TenantConfigProblem[] };

export interface TenantReloaderOptions {
  readonly dir: string;
  readonly store: TenantStore;
  readonly logger: Logger;
  /** How often the folder is checked even without a file-system event (ConfigMaps, network mounts). */
  readonly pollIntervalMs?: number;
  readonly onReload?: (outcome: ReloadOutcome) => void;
}

/**
 * Reloads the tenant files when the folder changes (and on demand, for SIGHUP). The new set
 * replaces the old one whole, and only if every file is valid: a broken edit leaves the last good
 * set serving and is logged with its file and field.
 */
export class TenantReloader {
  readonly #options: TenantReloaderOptions;
  #watcher: FSWatcher | undefined;
  #poll: NodeJS.Timeout | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #fingerprint = '';
  #running: Promise<ReloadOutcome> | undefined;
  #again = false;

  constructor(options: TenantReloaderOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#fingerprint = await this.#currentFingerprint();
    try {
      this.#watcher = watch(this.#options.dir, { persistent: false }, () => this.#soon());
      this.#watcher.on('error', () => undefined);
    } catch (error) {
      this.#options.logger.warn({ err: error, dir: this.#options.dir }, 'cannot watch the tenants folder; polling only');
    }
    this.#poll = setInterval(() => void this.#reloadIfChanged(), this.#options.pollIntervalMs ?? 2000);
    this.#poll.unref();
  }

  close(): void {
    this.#watcher?.close();
    if (this.#poll) clearInterval(this.#poll);
    if (this.#debounce) clearTimeout(this.#debounce);
  }

  /** Reloads now, whatever the folder looks like; concurrent calls share one reload. */
  reload(): Promise<ReloadOutcome> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#load().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.reload();
      }
    });
    return this.#running;
  }

  #soon(): void {
    // Editors and ConfigMap updates touch a file several times; reload once they are done.
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.#reloadIfChanged(), 200);
    this.#debounce.unref();
  }

  async #reloadIfChanged(): Promise<void> {
    const fingerprint = await this.#currentFingerprint();
    if (fingerprint !== this.#fingerprint) await this.reload();
  }

  async #load(): Promise<ReloadOutcome> {
    const { dir, store, logger } = this.#options;
    this.#fingerprint = await this.#currentFingerprint();
    let outcome: ReloadOutcome;
    try {
      const next = await loadTenantsFromDir(dir);
      const changed = describe(next.list()) !== describe(store.current().list());
      store.replace(next);
      outcome = { ok: true, tenants: next.size, changed };
      if (changed) logger.info({ tenants: next.size }, 'tenant configuration reloaded');
    } catch (error) {
      const problems = error instanceof TenantConfigError ? error.problems : [{ file: dir, field: '', message: String(error) }];
      outcome = { ok: false, problems };
      logger.error({ problems }, 'tenant configuration reload failed; the last valid configuration stays in use');
    }
    this.#options.onReload?.(outcome);
    return outcome;
  }

  async #currentFingerprint(): Promise<string> {
    try {
      const entries = await readdir(this.#options.dir);
      const parts = await Promise.all(
        entries.sort().map(async (name) => {
          const info = await stat(path.join(this.#options.dir, name)).catch(() => undefined);
          return info ? `${name}:${info.size}:${info.mtimeMs}:${info.ino}` : name;
        }),
      );
      return parts.join('|');
    } catch {
      return 'unreadable';
    }
  }
}

function describe(tenants: readonly { id: string; divisionIds: readonly string[]; access: string; keys: readonly { id: string; expiresAt: number | undefined }[] }[]): string {
  return JSON.stringify(tenants.map((t) => [t.id, t.divisionIds, t.access, t.keys.map((k) => [k.id, k.expiresAt])]));
}
