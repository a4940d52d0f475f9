import { pino } from 'pino';
import { GatewayError } from '../../../src/errors.js';
import { MemoryTokenCache } from '../../../src/state/tokens/token-cache.js';
import { renewAt, TokenManager } from '../../../src/genesys/token-manager.js';

const silent = pino({ level: 'silent' });

function managerWith(login: () => Promise<{ accessToken: string; expiresInSeconds: number }>, clock = { now: 1_000_000 }) {
  return new TokenManager({ cache: new MemoryTokenCache(), login, logger: silent, now: () => clock.now, minBackoffMs: 1000 });
}

describe('TokenManager', () => {
  let manager: TokenManager | undefined;
  afterEach(() => manager?.close());

  it('makes one login for 100 concurrent callers on a cold start', async () => {
    let logins = 0;
    manager = managerWith(async () => {
      logins += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { accessToken: `t${logins}`, expiresInSeconds: 3600 };
    });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager!.getToken()));
    expect(logins).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['t1']));
  });

  it('renews in the background when the token nears expiry, still answering with the current one', async () => {
    const clock = { now: 1_000_000 };
    let logins = 0;
    manager = managerWith(async () => ({ accessToken: `t${++logins}`, expiresInSeconds: 3600 }), clock);
    expect(await manager.getToken()).toBe('t1');
    clock.now += 3_500_000; // inside the renewal window, still valid
    expect(await manager.getToken()).toBe('t1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logins).toBe(2);
    expect(await manager.getToken()).toBe('t2');
  });

  it('drops the token on a 401 only if it is still the rejected one', async () => {
    let logins = 0;
    manager = managerWith(async () => ({ accessToken: `t${++logins}`, expiresInSeconds: 3600 }));
    expect(await manager.getToken()).toBe('t1');
    await manager.invalidate('t1');
    expect(await manager.getToken()).toBe('t2');
    await manager.invalidate('t1'); // a late 401 for the old token
    expect(await manager.getToken()).toBe('t2');
    expect(logins).toBe(2);
  });

  it('answers 503 while the login endpoint is down, backs off, and recovers', async () => {
    const clock = { now: 1_000_000 };
    let down = true;
    let attempts = 0;
    manager = managerWith(async () => {
      attempts += 1;
      if (down) throw new Error('connection refused');
      return { accessToken: 'fresh', expiresInSeconds: 3600 };
    }, clock);
    const failure = await manager.getToken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ code: 'genesys.token.unavailable', status: 503 });
    await manager.getToken().catch(() => undefined);
    expect(attempts).toBe(1); // inside the back-off window: no second login
    down = false;
    clock.now += 1_500;
    expect(await manager.getToken()).toBe('fresh');
  });

  it('renews a 24-hour token with 10 % of its life left and a short one at half-life', () => {
    expect(renewAt({ value: 'x', obtainedAt: 0, expiresAt: 86_400_000 })).toBe(86_400_000 - 8_640_000);
    expect(renewAt({ value: 'x', obtainedAt: 0, expiresAt: 60_000 })).toBe(30_000);
  });
});
