import { request, type Dispatcher } from 'undici';

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

/** The client-credentials grant exactly as the Genesys SDKs send it. */
export async function requestClientCredentialsToken(
  credentials: ClientCredentials,
  options: { dispatcher?: Dispatcher; timeoutMs: number },
): Promise<IssuedToken> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
  let response: Dispatcher.ResponseData;
  try {
    response = await request(`${credentials.loginUrl}/oauth/token`, {
      method: 'POST',
      dispatcher: options.dispatcher,
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new LoginError(`the Genesys login endpoint could not be reached (${describeNetworkError(error)})`, undefined, {
      cause: error,
    });
  }
  const text = await readCapped(response.body, MAX_LOGIN_BODY_BYTES).catch(() => '');
  if (response.statusCode !== 200) {
    throw new LoginError(`the Genesys login endpoint answered ${response.statusCode}${oauthErrorSuffix(text)}`, response.statusCode);
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

async function readCapped(body: AsyncIterable<Buffer>, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > cap) throw new Error('login response too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    return code ?? error.name;
  }
  return 'unknown error';
}
