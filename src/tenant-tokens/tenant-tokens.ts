import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { TenantTokenIssuer } from './token-issuer.js';
import { TenantTokenKeys } from './signing-keys.js';
import { TenantTokenVerifier } from './token-verifier.js';

export interface TenantTokens {
  readonly issuer: TenantTokenIssuer;
  readonly verifier: TenantTokenVerifier;
}

export function createTenantTokens(settings: Settings['tenantTokens'], logger: Logger): TenantTokens {
  let keys: TenantTokenKeys;
  if (settings.secret === undefined) {
    logger.warn(
      'TENANT_TOKEN_SECRET is not set: tenant tokens are signed with a random per-process secret, so a token is only ' +
        'valid on the replica that issued it and until it restarts; set TENANT_TOKEN_SECRET when running several replicas',
    );
    keys = TenantTokenKeys.random();
  } else {
    keys = new TenantTokenKeys(settings.secret, settings.previousSecrets);
  }
  return { issuer: new TenantTokenIssuer(keys, settings.ttlSeconds), verifier: new TenantTokenVerifier(keys) };
}
