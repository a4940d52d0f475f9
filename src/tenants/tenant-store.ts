import type { TenantRegistry } from './tenant-registry.js';

/** Holds the current tenant set; a reload swaps it whole, so a request sees one set or the other. */
export class TenantStore {
  #current: TenantRegistry;

  constructor(initial: TenantRegistry) {
    this.#current = initial;
  }

  current(): TenantRegistry {
    return this.#current;
  }

  replace(next: TenantRegistry): void {
    this.#current = next;
  }
}
