import { explainListenError } from '../../../src/config/listen-errors.js';
import { SettingsError } from '../../../src/config/settings.js';

const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('a listener that cannot open', () => {
  it('names the setting and the port when the port is taken', () => {
    const explained = explainListenError(failure('EADDRINUSE'), 'METRICS_PORT', '0.0.0.0', 9464);
    expect(explained).toBeInstanceOf(SettingsError);
    expect((explained as Error).message).toContain('METRICS_PORT: port 9464 on 0.0.0.0 is already in use by another process; stop it, or set METRICS_PORT to a free port');
  });

  it('names the setting for a port the user may not bind, and HOST for an address not here', () => {
    expect((explainListenError(failure('EACCES'), 'PORT', '0.0.0.0', 80) as Error).message).toContain('PORT: this user may not listen on port 80');
    expect((explainListenError(failure('EADDRNOTAVAIL'), 'PORT', '10.9.9.9', 8080) as Error).message).toContain('HOST');
  });

  it('passes any other error through', () => {
    const other = failure('EOTHER');
    expect(explainListenError(other, 'PORT', '0.0.0.0', 8080)).toBe(other);
  });
});
