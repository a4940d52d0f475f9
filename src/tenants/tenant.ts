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
  /** The tenant's own Genesys client; absent: its requests use the proxy's client. */
  readonly genesysClient: TenantClient | undefined;
  /** The file the tenant came from, for error messages and the CLI. */
  readonly source: string;
}

/** Where a tenant client's secret is read from at each login (so a rotated secret file is picked up). */
export type SecretSource = { readonly env: string } | { readonly file: string };

export interface TenantClient {
  readonly clientId: string;
  readonly secretFrom: SecretSource;
}
