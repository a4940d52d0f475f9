import { readFile, writeFile } from 'node:fs/promises';
import { policyTable } from '../scoping/policy-table.js';
import { entityFields } from '../scoping/field-table.js';
import { ignoredQueueFields, writableQueueFields } from '../scoping/filters/queue-writes.js';
import { entityFieldsMarkdown, queueWriteFieldsMarkdown, replaceSection, routeTableMarkdown } from './readme-tables.js';

/** `npm run docs`: rewrites the README's generated tables (routes, entity fields, writable fields). */
const path = process.argv[2] ?? 'README.md';
const before = await readFile(path, 'utf8');
let after = replaceSection(before, 'policy-table', routeTableMarkdown(policyTable));
after = replaceSection(after, 'entity-fields', entityFieldsMarkdown(entityFields));
after = replaceSection(after, 'queue-write-fields', queueWriteFieldsMarkdown(writableQueueFields, ignoredQueueFields));
if (after !== before) await writeFile(path, after);
process.stdout.write(after === before ? 'README tables are up to date\n' : 'README tables updated\n');
