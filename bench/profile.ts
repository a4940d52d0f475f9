import path from 'node:path';
import type { ProfileLine } from './report.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

type Frame = ProfileNode['callFrame'];

/**
 * V8 counts JSON.parse and JSON.stringify as self time of the function that calls them; these
 * own functions do little else, so their self time is named after the builtin.
 */
const BUILTIN_CALLERS: Record<string, string> = {
  parseUpstreamJson: 'JSON.parse',
  sendJson: 'JSON.stringify',
};
const LOGGING = ['pino', 'sonic-boom', '@pinojs/redact', 'fast-redact', 'pino-std-serializers', 'quick-format-unescaped'];
const EXPRESS = ['express', 'router', 'finalhandler', 'send', 'on-finished', 'depd', 'path-to-regexp', 'type-is', 'mime-types'];

/**
 * The bucket of one sample, from its stack (leaf first). Native frames (no URL) belong to the
 * nearest caller that has one, so a socket write counts as node core and UTF-8 encoding as Buffer.
 */
export function categoryOf(stack: readonly Frame[]): string | undefined {
  const leaf = stack[0];
  if (!leaf || leaf.functionName === '(idle)' || leaf.functionName === '(root)') return undefined;
  if (leaf.functionName === '(garbage collector)') return 'GC';
  if (leaf.functionName === '(program)') return 'V8 (program)';
  if (leaf.url === '' && (leaf.functionName === 'parse' || leaf.functionName === 'stringify')) return `JSON.${leaf.functionName}`;
  const owner = stack.find((frame) => frame.url !== '');
  if (!owner) return 'native (other)';
  const { url, functionName } = owner;
  if (url === 'node:buffer' || url === 'node:internal/buffer') return 'Buffer ↔ UTF-8 string';
  if (url.includes('/src/')) {
    if (owner === leaf && BUILTIN_CALLERS[functionName]) return BUILTIN_CALLERS[functionName];
    return url.includes('/src/scoping/') ? 'scoping' : 'proxy (other own code)';
  }
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (dependency) {
    if (LOGGING.includes(dependency)) return 'logging (pino)';
    if (EXPRESS.includes(dependency)) return 'express';
    if (dependency === 'undici') return 'undici (upstream client)';
    if (dependency === 'prom-client') return 'metrics (prom-client)';
    if (dependency === 'zod') return 'zod';
    return 'other dependencies';
  }
  return url.startsWith('node:') ? 'node core (http, net, streams)' : 'other';
}

/** Share of busy samples per category and the hottest functions by self time. */
export function summariseProfile(profile: CpuProfile, topFunctions = 8): { categories: ProfileLine[]; functions: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stackOf = (id: number): Frame[] => {
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined && stack.length < 200; at = parentOf.get(at)) {
      const node = byId.get(at);
      if (node) stack.push(node.callFrame);
    }
    return stack;
  };
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const stack = stackOf(id);
    const frame = stack[0];
    if (!frame) continue;
    const category = categoryOf(stack);
    if (category === undefined) continue;
    busy += 1;
    categories.set(category, (categories.get(category) ?? 0) + 1);
    const where = frame.url ? ` (${path.basename(frame.url)}:${frame.lineNumber + 1})` : '';
    const name = `${frame.functionName || (frame.url ? '(anonymous)' : '(native)')}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + 1);
  }
  const lines = (counts: Map<string, number>, limit: number): ProfileLine[] =>
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, count]) => ({ name, percent: (100 * count) / Math.max(busy, 1) }));
  return { categories: lines(categories, 20), functions: lines(functions, topFunctions) };
}
