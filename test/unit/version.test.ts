import { readFileSync } from 'node:fs';
import { PROXY_VERSION, USER_AGENT } from '../../src/version.js';

describe('the version', () => {
  it('is the package’s, in the CLI, the metrics and the User-Agent sent to Genesys', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(PROXY_VERSION).toBe(version);
    expect(USER_AGENT).toBe(`genesys-division-proxy/${version}`);
  });

  it('has a CHANGELOG entry', () => {
    expect(readFileSync('CHANGELOG.md', 'utf8')).toMatch(new RegExp(`^## ${PROXY_VERSION.replaceAll('.', '\\.')}$`, 'm'));
  });
});
