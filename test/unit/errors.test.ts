import { errorCatalogue, GatewayError, type ErrorCode } from '../../src/errors.js';
import { renderError } from '../../src/http/error-handler.js';

describe('the error catalogue', () => {
  const codes = Object.keys(errorCatalogue) as ErrorCode[];

  it.each(codes)('%s has an HTTP error status and renders as a Genesys ErrorBody', (code) => {
    const error = new GatewayError(code);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(600);
    expect(renderError(error, 'ctx-1')).toEqual({ message: errorCatalogue[code].message, code, status: error.status, contextId: 'ctx-1' });
  });

  it('uses Genesys-style dotted codes', () => {
    for (const code of codes) expect(code).toMatch(/^[a-z]+(\.[a-z]+)+$/);
  });
});
