import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Logs carry what the proxy decides, never a credential. The audit fields are allowlisted where
 * they are built; these redactions are the backstop for anything that slips into a log call.
 */
export const REDACTED_PATHS = [
  'authorization',
  'password',
  'secret',
  'token',
  'apiKey',
  'key',
  'access_token',
  '*.authorization',
  '*.cookie',
  '*["x-api-key"]',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.token',
  '*.access_token',
  '*.apiKey',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'genesys-division-proxy' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
