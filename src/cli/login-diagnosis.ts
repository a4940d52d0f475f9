import type { Settings } from '../config/settings.js';
import { LoginError, requestClientCredentialsToken } from '../genesys/login-client.js';

/**
 * Logs in once more, by hand, to say why Genesys gave no token and what to change: the proxy
 * itself only needs to know that it has none, a person at the command line needs the cause.
 * Returns undefined when the login works after all.
 */
export async function diagnoseLogin(settings: Settings): Promise<string | undefined> {
  const { loginUrl } = settings.genesys;
  const host = new URL(loginUrl).host;
  try {
    await requestClientCredentialsToken(settings.genesys, { timeoutMs: Math.min(settings.upstreamTimeoutMs, 15_000) });
    return undefined;
  } catch (error) {
    if (!(error instanceof LoginError)) throw error;
    const code = networkCode(error.cause);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return `the Genesys login host ${host} does not resolve (DNS: ${code}). Check GENESYS_REGION (for example mypurecloud.com, mypurecloud.ie, usw2.pure.cloud) or GENESYS_LOGIN_URL, and this machine's DNS.`;
    }
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      return `nothing answers at ${loginUrl} (${code}). Check GENESYS_LOGIN_URL, and that this machine may reach ${host} (firewall, HTTPS proxy).`;
    }
    if (code === 'timed out') {
      return `${loginUrl} did not answer within ${Math.min(settings.upstreamTimeoutMs, 15_000)} ms. Check that this machine may reach ${host} (firewall, HTTPS proxy).`;
    }
    if (error.status === 400 || error.status === 401 || error.status === 403) {
      return `Genesys refused the client credentials (${error.message.replace(/^the Genesys login endpoint /, '')}). Check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET against the OAuth client in Genesys Admin > Integrations > OAuth: it must use the Client Credentials grant, and a secret is shown only when it is created or reset.`;
    }
    return `${error.message}. Check GENESYS_REGION or GENESYS_LOGIN_URL, and Genesys's status page.`;
  }
}

/** Errors are read by shape: Node's and undici's may come from another realm under a test runner. */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : networkCode(cause, depth + 1);
}
