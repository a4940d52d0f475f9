/**
 * The one error type of the proxy. Every refusal and failure is a GatewayError
 * with a stable code; `http/error-handler.ts` renders it as a Genesys ErrorBody.
 * Codes use Genesys's dotted style so SDK users can branch on them the same way.
 */
const catalogue = {
  'bad.request': { status: 400, message: 'The request could not be understood by the server due to malformed syntax.' },
  'path.not.canonical': { status: 400, message: 'The request path is not in canonical form.' },
  'query.invalid': { status: 400, message: 'The query string is not valid for this route.' },
  'body.invalid': { status: 400, message: 'The request body is not valid for this route.' },
  'authentication.required': { status: 401, message: 'No API key or bearer token was provided.' },
  'bad.credentials': { status: 401, message: 'Invalid login credentials.' },
  'credentials.expired': { status: 401, message: 'The credential has expired.' },
  'route.not.allowed': { status: 403, message: 'This method and path are not available through the division proxy.' },
  'not.authorized': { status: 403, message: 'You are not authorized to perform the requested action.' },
  'not.found': { status: 404, message: 'The requested resource was not found.' },
  'payload.too.large': { status: 413, message: 'The request body is over the size limit.' },
  'unsupported.media.type': { status: 415, message: 'The request body must be application/json.' },
  'too.many.requests': { status: 429, message: 'Rate limit exceeded for this tenant.' },
  'upstream.rate.limited': { status: 429, message: 'Genesys Cloud is rate limiting requests. Retry later.' },
  'internal.server.error': { status: 500, message: 'The proxy failed to process the request.' },
  'upstream.bad.response': { status: 502, message: 'Genesys Cloud returned a response the proxy could not process.' },
  'upstream.unreachable': { status: 502, message: 'Genesys Cloud could not be reached.' },
  'upstream.error': { status: 502, message: 'Genesys Cloud answered with an error.' },
  'genesys.token.unavailable': { status: 503, message: 'The proxy could not obtain a Genesys Cloud access token.' },
  'upstream.timeout': { status: 504, message: 'Genesys Cloud did not answer in time.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof catalogue;

export const errorCatalogue: Readonly<Record<ErrorCode, { readonly status: number; readonly message: string }>> =
  catalogue;

export interface GatewayErrorOptions {
  /** Replaces the catalogue message; must never carry secrets or upstream URLs. */
  message?: string;
  cause?: unknown;
  /** Seconds, for 429 and 503 answers. */
  retryAfter?: number;
  /** Overrides the catalogue status (used to relay a 4xx from Genesys unchanged). */
  status?: number;
  /** Why the request was refused, for the audit line only (never shown to the tenant). */
  audit?: string;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;
  readonly audit: string | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    super(options.message ?? catalogue[code].message, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? catalogue[code].status;
    this.retryAfter = options.retryAfter;
    this.audit = options.audit;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
