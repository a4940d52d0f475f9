import { FailureThrottle } from '../../../src/state/rate-limits/failure-throttle.js';
import { GenesysLimitTracker, readLimitHeaders } from '../../../src/state/rate-limits/genesys-limits.js';

describe('FailureThrottle', () => {
  it('throttles a key after its failures per minute, per key, and lets it try again as the bucket refills', () => {
    let now = 1_000_000;
    const throttle = new FailureThrottle({ perMinute: 10, now: () => now });
    for (let i = 0; i < 10; i += 1) expect(throttle.fail('10.0.0.1')).toBe(0);
    expect(throttle.retryAfterMs('10.0.0.1')).toBeGreaterThan(0);
    expect(throttle.fail('10.0.0.1')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('10.0.0.2')).toBe(0);
    now += 6_000;
    expect(throttle.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('forgets the idlest keys beyond its bound', () => {
    const throttle = new FailureThrottle({ perMinute: 1, now: () => 0, maxKeys: 2 });
    throttle.fail('a');
    throttle.fail('b');
    throttle.fail('c');
    expect(throttle.retryAfterMs('a')).toBe(0);
    expect(throttle.retryAfterMs('c')).toBeGreaterThan(0);
  });
});

describe('Genesys’s own limit headers', () => {
  it('reads allowed, count and reset, and ignores anything malformed', () => {
    expect(readLimitHeaders({ 'inin-ratelimit-allowed': '180', 'inin-ratelimit-count': '1', 'inin-ratelimit-reset': '61' }, 1000)).toEqual({ allowed: 180, count: 1, resetAtMs: 62_000 });
    expect(readLimitHeaders({ 'inin-ratelimit-allowed': '1e9', 'inin-ratelimit-count': '1', 'inin-ratelimit-reset': '61' }, 0)).toBeUndefined();
    expect(readLimitHeaders({ 'inin-ratelimit-allowed': '0', 'inin-ratelimit-count': '0', 'inin-ratelimit-reset': '1' }, 0)).toBeUndefined();
    expect(readLimitHeaders({}, 0)).toBeUndefined();
  });

  it('takes the budget from what Genesys allows, raised or lowered, and stops at its count until the reset', () => {
    const tracker = new GenesysLimitTracker(300);
    expect(tracker.perMinute()).toBe(300);
    tracker.observe({ 'inin-ratelimit-allowed': '900', 'inin-ratelimit-count': '5', 'inin-ratelimit-reset': '30' }, 0);
    expect(tracker.perMinute()).toBe(900);
    expect(tracker.blockedForMs(0)).toBe(0);
    tracker.observe({ 'inin-ratelimit-allowed': '60', 'inin-ratelimit-count': '60', 'inin-ratelimit-reset': '20' }, 1_000);
    expect(tracker.perMinute()).toBe(60);
    expect(tracker.blockedForMs(2_000)).toBe(19_000);
    expect(tracker.remaining(2_000)).toBe(0);
    expect(tracker.blockedForMs(21_000)).toBe(0);
    expect(tracker.remaining(21_000)).toBe(60);
  });

  it('takes only the allowance from a 429, which refused one call rather than closing the window', () => {
    const tracker = new GenesysLimitTracker(300);
    tracker.observe({ 'inin-ratelimit-allowed': '300', 'inin-ratelimit-count': '301', 'inin-ratelimit-reset': '30' }, 0, 429);
    expect(tracker.perMinute()).toBe(300);
    expect(tracker.blockedForMs(1_000)).toBe(0);
  });
});
