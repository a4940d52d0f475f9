import { GatewayError } from '../errors.js';
import type { TenantScope } from './scope.js';

/** Name of the header a tenant narrows a request with, as `X-Division-Id: a,b`. */
export const NARROWING_HEADER = 'x-division-id';

/**
 * The scope a request runs with when the tenant asks for some of its own divisions. Naming a
 * division outside its set is refused, never silently ignored: the tenant would otherwise read
 * an empty answer as "nothing there".
 */
export function narrowScope(scope: TenantScope, header: string | readonly string[] | undefined): TenantScope {
  if (header === undefined) return scope;
  const asked = [header].flat().flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  if (asked.length === 0) {
    throw new GatewayError('bad.request', { message: 'X-Division-Id must name at least one division.' });
  }
  const divisionIds = [...new Set(asked)];
  if (divisionIds.some((id) => !scope.divisions.has(id))) {
    throw new GatewayError('not.authorized', {
      message: 'X-Division-Id names a division outside the tenant’s divisions.',
      audit: 'X-Division-Id names a foreign division',
    });
  }
  return { tenantId: scope.tenantId, divisionIds, divisions: new Set(divisionIds) };
}
