import { GatewayError } from '../errors.js';

/** Only JSON is scoped, and what is not JSON is never passed through. */
export function parseUpstreamJson(body: Buffer, contentType: string | string[] | undefined): unknown {
  const type = String(contentType ?? '').toLowerCase();
  if (!/^application\/(?:[a-z0-9.+-]+\+)?json\b/.test(type)) {
    throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned a response that is not JSON.' });
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new GatewayError('upstream.bad.response', { message: 'Genesys Cloud returned malformed JSON.', cause: error });
  }
}
