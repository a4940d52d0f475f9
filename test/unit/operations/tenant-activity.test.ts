import type { RequestRecord } from '../../../src/operations/request-record.js';
import { TenantActivity } from '../../../src/operations/tenant-activity.js';

const MINUTE = 60_000;

describe('TenantActivity', () => {
  const clock = { now: 100 * MINUTE };
  let n = 0;
  const record = (overrides: Partial<RequestRecord>): RequestRecord => ({
    at: clock.now,
    correlationId: `c-${++n}`,
    tenantId: 'acme',
    keyId: 'acme-1',
    method: 'GET',
    route: '/api/v2/routing/queues',
    status: 200,
    upstreamCalls: 1,
    entitiesReturned: 3,
    entitiesRemoved: 0,
    denial: undefined,
    durationMs: 5,
    ...overrides,
  });

  it('counts requests and Genesys calls per tenant for this minute and the last hour, forgetting older ones', () => {
    const activity = new TenantActivity({ now: () => clock.now });
    activity.observe(record({ at: clock.now - 61 * MINUTE, upstreamCalls: 5 }));
    activity.observe(record({ at: clock.now - 30 * MINUTE, upstreamCalls: 2 }));
    activity.observe(record({ upstreamCalls: 0 }));
    activity.observe(record({ upstreamCalls: 3 }));
    activity.observe(record({ tenantId: 'globex', keyId: 'globex-1', upstreamCalls: 1 }));
    const view = activity.view();
    expect(view.usage.get('acme')!.lastMinute).toMatchObject({ requests: 2, upstreamCalls: 3 });
    expect(view.usage.get('acme')!.lastHour).toMatchObject({ requests: 3, upstreamCalls: 5 });
    expect(view.usage.get('globex')!.lastHour).toMatchObject({ requests: 1, upstreamCalls: 1 });
    clock.now += 2 * MINUTE;
    expect(activity.view().usage.get('acme')!.lastMinute.requests).toBe(0);
  });

  it('keeps the last refusals newest first, bounded, with unauthenticated ones apart', () => {
    const activity = new TenantActivity({ now: () => clock.now, refusalsKept: 3 });
    activity.observe(record({ status: 401, tenantId: undefined, keyId: undefined, denial: 'unknown key', route: 'unmatched' }));
    for (const status of [403, 404, 429, 200, 502]) activity.observe(record({ status, denial: status === 200 ? undefined : `reason ${status}` }));
    const view = activity.view();
    expect(view.recentRefusals.map((r) => r.status)).toEqual([429, 404, 403]);
    expect(view.unauthenticated.lastHour.refusals).toEqual({ 401: 1, 403: 0, 404: 0, 429: 0 });
    expect(view.usage.get('acme')!.lastHour.refusals).toEqual({ 401: 0, 403: 1, 404: 1, 429: 1 });
  });

  it('remembers when each key was last used', () => {
    const activity = new TenantActivity({ now: () => clock.now });
    activity.observe(record({ keyId: 'acme-1', at: clock.now - 5000 }));
    activity.observe(record({ keyId: 'acme-1', status: 404 }));
    expect(activity.view().keyLastUsed.get('acme-1')).toBe(clock.now);
    expect(activity.view().keyLastUsed.has('acme-2')).toBe(false);
  });
});
