export type AccessLevel = 'read-only' | 'read-write';

export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  readonly digest: Buffer;
  /** Epoch milliseconds; absent means the key does not expire. */
  readonly expiresAt: number | undefined;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** The divisions this tenant may see, in file order (the order pushed upstream). */
  readonly divisionIds: readonly string[];
  readonly divisions: ReadonlySet<string>;
  readonly access: AccessLevel;
  readonly requestsPerMinute: number | undefined;
  readonly keys: readonly ApiKeyRecord[];
  /** The file the tenant came from, for error messages and the CLI. */
  readonly source: string;
}
