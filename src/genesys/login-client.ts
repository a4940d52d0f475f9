import { describeNetworkError } from './upstream-errors.js';
import { postLoginForm, type GenesysPool } from './upstream-client.js';

export interface ClientCredentials {
  readonly loginUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** Why a login failed, without anything secret in it: safe to log. */
export class LoginError extends Error {
  constructor(message: string, readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoginError';
  }
}

const MAX_LOGIN_BODY_BYTES = 64 * 1024;

/** The client-credentials grant exactly as the Genesys SDKs send it, on the proxy's one pool. */
export async function requestClientCredentialsToken(
  credentials: ClientCredentials,
  options: { pool?: GenesysPool; timeoutMs: number },
): Promise<IssuedToken> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
  let response: { status: number; text: string };
  try {
    response = await postLoginForm(options.pool, {
      url: `${credentials.loginUrl}/oauth/token`,
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      form: 'grant_type=client_credentials',
      timeoutMs: options.timeoutMs,
      maxBodyBytes: MAX_LOGIN_BODY_BYTES,
    });
  } catch (error) {
    throw new LoginError(`the Genesys login endpoint could not be reached (${describeNetworkError(error)})`, undefined, {
      cause: error,
    });
  }
  const { status, text } = response;
  if (status !== 200) {
    throw new LoginError(`the Genesys login endpoint answered ${status}${oauthErrorSuffix(text)}`, status);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LoginError('the Genesys login endpoint answered with a body that is not JSON', 200);
  }
  const token = body as { access_token?: unknown; expires_in?: unknown };
  if (typeof token.access_token !== 'string' || token.access_token.length === 0) {
    throw new LoginError('the Genesys login response has no access_token', 200);
  }
  const expiresIn = typeof token.expires_in === 'number' && token.expires_in > 0 ? token.expires_in : undefined;
  if (expiresIn === undefined) throw new LoginError('the Genesys login response has no usable expires_in', 200);
  return { accessToken: token.access_token, expiresInSeconds: expiresIn };
}

function oauthErrorSuffix(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? ` (${body.error})` : '';
  } catch {
    return '';
  }
}
