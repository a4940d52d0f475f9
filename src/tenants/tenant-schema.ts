import { z } from 'zod';
import { EXPIRY_FORMAT, parseExpiry } from './expiry.js';

/** Genesys ids are lowercase UUIDs; the proxy compares them byte for byte with Genesys's answers. */
export const GENESYS_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const divisionId = z
  .string()
  .regex(GENESYS_ID, 'must be a Genesys division id: a lowercase UUID such as 5b3e4c1a-0000-4000-8000-000000000001 (`genesys-division-proxy divisions` lists them)');

const expiresAt = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const time = value instanceof Date ? value.getTime() : parseExpiry(value);
  if (time === undefined || !Number.isFinite(time)) {
    ctx.addIssue({ code: 'custom', message: `must be a real date: ${EXPIRY_FORMAT}` });
    return z.NEVER;
  }
  return time;
});

export const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const apiKeySchema = z.strictObject({
  id: z.string().regex(KEY_ID, 'must be letters, digits, dot, dash or underscore'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the key as 64 lowercase hex characters'),
  expiresAt: expiresAt.optional(),
});

/**
 * The tenant's own Genesys client (client credentials, roles granted only in its divisions): where
 * its secret comes from, never the secret itself, so a tenant file can be shown and committed.
 */
export const tenantClientSchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, 'must be a Genesys OAuth client id (letters, digits and dashes)'),
  clientSecretFrom: z.union([
    z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be an environment variable name (A-Z, 0-9, _)') }),
    z.strictObject({ file: z.string().min(1).max(4096) }),
  ]),
});

export const tenantFileSchema = z.strictObject({
  id: z.string().regex(TENANT_ID, 'must match ^[a-z0-9][a-z0-9-]{1,62}$'),
  name: z.string().min(1).max(200),
  divisions: z
    .array(divisionId)
    .min(1, 'must list at least one division id')
    .refine((ids) => new Set(ids).size === ids.length, 'must not list a division twice'),
  apiKeys: z.array(apiKeySchema).min(1, 'must list at least one key'),
  access: z.enum(['read-only', 'read-write']).default('read-only'),
  rateLimit: z.strictObject({ requestsPerMinute: z.number().int().positive() }).optional(),
  genesys: tenantClientSchema.optional(),
});

export type TenantFile = z.infer<typeof tenantFileSchema>;
