import { readFile, writeFile } from 'node:fs/promises';
import { policyTable } from '../scoping/policy-table.js';
import { replaceSection, routeTableMarkdown } from './readme-tables.js';

/** `npm run docs`: rewrites the README's route table from the policy table. */
const path = process.argv[2] ?? 'README.md';
const before = await readFile(path, 'utf8');
const after = replaceSection(before, 'policy-table', routeTableMarkdown(policyTable));
if (after !== before) await writeFile(path, after);
process.stdout.write(after === before ? 'README route table is up to date\n' : 'README route table updated\n');
