import { errorCatalogue, type ErrorCode } from '../errors.js';
import type { FieldRule, OnForeign, ReferenceTarget, Shape } from '../scoping/field-rule.js';
import type { RouteRule } from '../scoping/route-rule.js';

/** The README's route table, generated from the policy table so the two cannot drift. */
export function routeTableMarkdown(table: readonly RouteRule[]): string {
  const rows = table.map(
    (rule) => `| ${rule.method} | \`${rule.path.replace(/\{(\w+)(?::\w+)?\}/g, '{$1}')}\` | ${rule.access} | ${rule.summary.request} | ${rule.summary.response} |`,
  );
  return ['| method | path | access | request | response |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from === -1 || to === -1 || to < from) throw new Error(`README has no ${name} section`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}

export function errorCodesInSection(section: string): ErrorCode[] {
  return [...section.matchAll(/^\| \d{3} \| `([a-z.]+)` \|/gm)].map((m) => m[1] as ErrorCode).filter((code) => code in errorCatalogue);
}

/** What makes a referenced object the tenant's; `undefined`: the proxy can never tell, so it is never shown. */
const TARGETS: Readonly<Record<ReferenceTarget, string | undefined>> = {
  queue: 'a queue of the tenant’s divisions (queue directory and any embedded division agree)',
  user: 'a user of the tenant’s divisions (user directory and any embedded division agree)',
  division: 'one of the tenant’s divisions',
  team: 'a team whose embedded division is the tenant’s',
  'member-group': 'a group, team or skill group whose embedded division is the tenant’s',
  script: 'a script whose embedded division is the tenant’s',
  flow: undefined,
  prompt: undefined,
  group: undefined,
  location: undefined,
  'email-address': undefined,
  'messaging-address': undefined,
};

const NAMES: Readonly<Record<ReferenceTarget, string>> = {
  queue: 'queue',
  user: 'user',
  division: 'division',
  team: 'team',
  'member-group': 'member group',
  script: 'script',
  flow: 'flow',
  prompt: 'prompt',
  group: 'group',
  location: 'location',
  'email-address': 'email address configuration',
  'messaging-address': 'messaging address',
};

function referenceText(target: ReferenceTarget, how: (owner: string) => string): string {
  const owner = TARGETS[target];
  return owner === undefined ? `never: the proxy cannot place a ${NAMES[target]} in a division` : how(owner);
}

const keyList = (fields: Shape) => [...fields.keys()].map((key) => `\`${key}\``).join(', ');

/** The README's "what a tenant sees of each entity" table, generated from the field table. */
export function entityFieldsMarkdown(entities: ReadonlyMap<string, Shape>): string {
  const rows: string[] = [];
  for (const [kind, fields] of entities) {
    const plain = [...fields].filter(([, rule]) => rule.kind === 'value' || rule.kind === 'values').map(([key]) => `\`${key}\``);
    rows.push(`| ${kind} | ${plain.join(', ')} | as Genesys sends them (values that name nothing) |`);
    for (const [key, rule] of fields) describeField(kind, key, rule, rows);
  }
  return ['| entity | field | shown |', '|---|---|---|', ...rows].join('\n');
}

function describeField(kind: string, path: string, rule: FieldRule, rows: string[]): void {
  const row = (text: string) => rows.push(`| ${kind} | \`${path}\` | ${text} |`);
  const otherwise = (onForeign: OnForeign) => (onForeign === 'withhold' ? `otherwise the ${kind} is not shown at all` : 'otherwise removed');
  switch (rule.kind) {
    case 'value':
    case 'values':
      return;
    case 'object':
    case 'objects':
      row(`its declared keys only: ${keyList(rule.shape)}${rule.whole ? '; removed whole when any reference inside is not the tenant’s' : ''}`);
      for (const [key, inner] of rule.shape) if (namesSomething(inner)) describeField(kind, `${path}.${key}`, inner, rows);
      return;
    case 'map':
      row(`per key (a media or object type)${rule.of.kind === 'ref' ? `: ${referenceText(rule.of.target, (owner) => `${owner}, otherwise removed`)}` : ''}`);
      return;
    case 'ref':
      row(referenceText(rule.target, (owner) => `${owner}, ${otherwise(rule.onForeign)}${rule.shape.size > 4 ? `; projected as a ${NAMES[rule.target]}` : ''}`));
      return;
    case 'refs':
      row(referenceText(rule.target, (owner) => `each entry when it is ${owner}; others removed`));
      return;
    case 'ref-id':
      row(referenceText(rule.target, (owner) => `the id of ${owner}, ${otherwise(rule.onForeign)}`));
      return;
    case 'drop':
      row(`never: ${rule.why}`);
      return;
  }
}

function namesSomething(rule: FieldRule): boolean {
  if (rule.kind === 'object' || rule.kind === 'objects') return [...rule.shape.values()].some(namesSomething);
  return rule.kind !== 'value' && rule.kind !== 'values';
}

/** The README's list of writable queue fields. */
export function queueWriteFieldsMarkdown(writable: readonly string[], ignored: readonly string[]): string {
  return [
    `Accepted: ${writable.map((key) => `\`${key}\``).join(', ')}.`,
    '',
    `Accepted and not forwarded (Genesys sets them; a client writing back what it read sends them): ${ignored.map((key) => `\`${key}\``).join(', ')}.`,
  ].join('\n');
}
