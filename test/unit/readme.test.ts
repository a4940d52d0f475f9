import { readFileSync } from 'node:fs';
import { SETTING_NAMES } from '../../src/config/settings.js';
import { errorCatalogue } from '../../src/errors.js';
import { entityFieldsMarkdown, errorCodesInSection, queueWriteFieldsMarkdown, replaceSection, routeTableMarkdown } from '../../src/docs/readme-tables.js';
import { entityFields } from '../../src/scoping/field-table.js';
import { ignoredQueueFields, writableQueueFields } from '../../src/scoping/filters/queue-writes.js';
import { policyTable } from '../../src/scoping/policy-table.js';

const readme = readFileSync('README.md', 'utf8');

describe('the README', () => {
  it('has the route table the policy table generates (npm run docs rewrites it)', () => {
    expect(replaceSection(readme, 'policy-table', routeTableMarkdown(policyTable))).toBe(readme);
  });

  it('says what a tenant sees of each entity, as the field table declares it (npm run docs rewrites it)', () => {
    expect(replaceSection(readme, 'entity-fields', entityFieldsMarkdown(entityFields))).toBe(readme);
    for (const kind of entityFields.keys()) expect(readme).toContain(`| ${kind} |`);
  });

  it('lists the queue fields a tenant may write, as the write schema declares them', () => {
    expect(replaceSection(readme, 'queue-write-fields', queueWriteFieldsMarkdown(writableQueueFields, ignoredQueueFields))).toBe(readme);
  });

  it('documents every error code of the catalogue, with its status', () => {
    const start = readme.indexOf('<!-- error-codes:start -->');
    const section = readme.slice(start, readme.indexOf('<!-- error-codes:end -->'));
    expect(new Set(errorCodesInSection(section))).toEqual(new Set(Object.keys(errorCatalogue)));
    for (const [code, { status }] of Object.entries(errorCatalogue)) expect(section).toContain(`| ${status} | \`${code}\` |`);
  });

  it('has a row in the settings table for every setting the proxy reads, and for no other', () => {
    const start = readme.indexOf('\n## Settings\n');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect(rows.sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('gives the two commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });
});
