import { consoleState, type ConsoleSources } from './console-state.js';
import { CONSOLE_CSS, CONSOLE_HTML, CONSOLE_SCRIPT } from './console-page.js';

/** A GET the operations listener answers besides /metrics and the probes. */
export interface OperationsPage {
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type OperationsPages = (path: string) => (() => Promise<OperationsPage>) | undefined;

/** The page runs nothing but its own script and talks to nothing but its own listener. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** `/console` (the page), its script and stylesheet, and `/console/state` (the JSON it polls). */
export function consolePages(sources: ConsoleSources): OperationsPages {
  const fixed = (contentType: string, body: string) => async (): Promise<OperationsPage> => ({ contentType, body, headers: PAGE_HEADERS });
  const pages: Record<string, () => Promise<OperationsPage>> = {
    '/console': fixed('text/html; charset=utf-8', CONSOLE_HTML),
    '/console/console.js': fixed('text/javascript; charset=utf-8', CONSOLE_SCRIPT),
    '/console/console.css': fixed('text/css; charset=utf-8', CONSOLE_CSS),
    '/console/state': async () => ({ contentType: 'application/json; charset=utf-8', body: JSON.stringify(await consoleState(sources)), headers: PAGE_HEADERS }),
  };
  return (path) => (Object.hasOwn(pages, path) ? pages[path] : undefined);
}
