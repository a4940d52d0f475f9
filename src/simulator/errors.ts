export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  details: unknown[];
  errors: unknown[];
  messageWithParams?: string;
  messageParams?: Record<string, string>;
}

/** Swagger default messages and the usual codes, per status. */
const DEFAULTS: Record<number, { code: string; message: string }> = {
  400: { code: 'bad.request', message: 'The request could not be understood by the server due to malformed syntax.' },
  401: { code: 'authentication.required', message: 'No authentication bearer token specified in authorization header.' },
  403: { code: 'not.authorized', message: 'You are not authorized to perform the requested action.' },
  404: { code: 'not.found', message: 'The requested resource was not found.' },
  408: { code: 'request.timeout', message: 'The client did not produce a request within the server timeout limit.' },
  409: { code: 'conflict', message: 'The request conflicts with the current state of the target resource.' },
  413: { code: 'request.entity.too.large', message: 'The request is over the size limit. Maximum bytes: 512000' },
  415: { code: 'unsupported.media.type', message: 'Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.' },
  429: { code: 'too.many.requests', message: 'Rate limit exceeded the maximum.' },
  500: { code: 'internal.server.error', message: 'The server encountered an unexpected condition which prevented it from fulfilling the request.' },
  502: { code: 'bad.gateway', message: 'Received an invalid response from an upstream server.' },
  503: { code: 'service.unavailable', message: 'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).' },
  504: { code: 'request.timeout', message: 'The request timed out.' },
};

export function defaultError(status: number): { code: string; message: string } {
  return DEFAULTS[status] ?? { code: status >= 500 ? 'internal.server.error' : 'bad.request', message: `HTTP ${status}` };
}

/** Thrown by route handlers; the error handler renders it as a Genesys ErrorBody. */
export class SimulatorError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code?: string, message?: string) {
    const fallback = defaultError(status);
    super(message ?? fallback.message);
    this.name = 'SimulatorError';
    this.status = status;
    this.code = code ?? fallback.code;
  }
}

export const badRequest = (message: string): SimulatorError => new SimulatorError(400, 'bad.request', message);

export const notFound = (): SimulatorError => new SimulatorError(404, 'not.found');

/** Genesys's wording when an enum-typed field gets a value outside the enum. */
export function invalidValue(value: string, fieldType: string, allowed: readonly string[]): SimulatorError {
  return new SimulatorError(400, 'invalid.value', `Value [${value}] is not valid for field type [${fieldType}]. Allowable values are: ${allowed.join(', ')}`);
}

export function errorBody(status: number, code: string, message: string, contextId: string): ErrorBody {
  return { message, code, status, contextId, details: [], errors: [] };
}

/** The login host answers in OAuth style (snake_case), not with an ErrorBody. */
export function oauthError(error: string, description: string): Record<string, string> {
  return { error, description, error_description: description };
}
