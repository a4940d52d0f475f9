import { ReloadHistory } from '../../../src/operations/reload-history.js';

describe('ReloadHistory', () => {
  it('keeps the last reloads newest first, with file names and fields but no key-like text', () => {
    let now = 1000;
    const history = new ReloadHistory({ kept: 2, now: () => now });
    history.record({ ok: true, tenants: 2, changed: true });
    now = 2000;
    const hash = 'a'.repeat(64);
    history.record({
      ok: false,
      problems: [{ file: '/etc/gdp/tenants/acme.yaml', field: 'apiKeys.0.sha256', message: `not valid YAML/JSON: near "${hash}" and gdp_abcdefghijklmnopqrstuvwxyz012345` }],
    });
    now = 3000;
    history.record({ ok: true, tenants: 2, changed: false });
    const events = history.list();
    expect(events.map((e) => e.at)).toEqual([3000, 2000]);
    expect(events[1]).toEqual({ at: 2000, ok: false, problems: [{ file: 'acme.yaml', field: 'apiKeys.0.sha256', message: 'not valid YAML/JSON: near "…" and …' }] });
  });
});
