import { SettingsError } from './settings.js';

/**
 * A listener that cannot open is a settings problem: say which setting, which port, and what to
 * do, instead of Node's EADDRINUSE stack trace.
 */
export function explainListenError(error: unknown, setting: 'PORT' | 'METRICS_PORT', host: string, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new SettingsError([`${setting}: port ${port} on ${host} is already in use by another process; stop it, or set ${setting} to a free port`]);
  }
  if (code === 'EACCES') {
    return new SettingsError([`${setting}: this user may not listen on port ${port} on ${host}; use a port above 1023, or give the process the right to bind it`]);
  }
  if (code === 'EADDRNOTAVAIL') {
    return new SettingsError([`${setting}: ${host} is not an address of this machine (HOST); use 0.0.0.0, 127.0.0.1 or one of its addresses`]);
  }
  return error;
}
