import { errorCatalogue, type ErrorCode } from '../errors.js';
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
