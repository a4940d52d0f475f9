import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every source file under src/, relative to the repository. */
function sources(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('the switch that turns response scoping off for a tenant', () => {
  it('is reachable only through the wiring options tests pass, never from settings, tenant files or requests', () => {
    const mentioning = sources().filter((file) => /unscopedTenants/.test(readFileSync(file, 'utf8')));
    expect(mentioning.sort()).toEqual(['src/executor/row-executor.ts', 'src/gateway.ts', 'src/wiring.ts']);
  });
});
