import { z } from 'zod';

const entityId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, 'must be a Genesys id (letters, digits and dashes)');

const isoDate = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(time) || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date-time such as 2027-11-01T00:00:00Z' });
    return z.NEVER;
  }
  return time;
});

export const apiKeySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be letters, digits, dot, dash or underscore'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the key as 64 lowercase hex characters'),
  expiresAt: isoDate.optional(),
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
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must match ^[a-z0-9][a-z0-9-]{1,62}$'),
  name: z.string().min(1).max(200),
  divisions: z
    .array(entityId)
    .min(1, 'must list at least one division id')
    .refine((ids) => new Set(ids).size === ids.length, 'must not list a division twice'),
  apiKeys: z.array(apiKeySchema).min(1, 'must list at least one key'),
  access: z.enum(['read-only', 'read-write']).default('read-only'),
  rateLimit: z.strictObject({ requestsPerMinute: z.number().int().positive() }).optional(),
  genesys: tenantClientSchema.optional(),
});

export type TenantFile = z.infer<typeof tenantFileSchema>;
