/**
 * JSON text written by hand, for scanners that must read what Genesys may send: a tree in which an
 * object is a list of members (so a key can appear twice) and any value can be a raw token (so a
 * value can be out of grammar), written with random whitespace and random escapes.
 */

/** Looked up once: inside the test runner's VM context every lookup of a global is slow. */
const floor = Math.floor;

export type JsonNode =
  | { kind: 'object'; members: JsonMember[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  /** Written verbatim: numbers, literals, and anything out of grammar. */
  | { kind: 'raw'; text: string };

export interface JsonMember {
  key: string;
  /** Written with `\uXXXX` escapes: a key a byte scanner cannot compare without decoding it. */
  escapedKey?: boolean;
  value: JsonNode;
}

export function nodeOf(value: unknown): JsonNode {
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(nodeOf) };
  if (typeof value === 'object' && value !== null) return { kind: 'object', members: Object.entries(value).map(([key, inner]) => ({ key, value: nodeOf(inner) })) };
  return { kind: 'raw', text: JSON.stringify(value) };
}

/** Every node of the tree, the root first. */
export function nodesOf(root: JsonNode): JsonNode[] {
  const out: JsonNode[] = [];
  const visit = (node: JsonNode) => {
    out.push(node);
    if (node.kind === 'object') for (const member of node.members) visit(member.value);
    if (node.kind === 'array') for (const item of node.items) visit(item);
  };
  visit(root);
  return out;
}

/** How a tree is written: `next` draws the choices; `spacing` is the chance of whitespace between tokens. */
export interface Style {
  readonly next: () => number;
  readonly spacing: number;
  /** The chance that a character of a string value is written as an escape. */
  readonly escaping: number;
}

const WHITESPACE = [' ', '\t', '\n', '\r', '  ', '\n  '];
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function writeJson(node: JsonNode, style: Style): string {
  const gap = () => (style.next() < style.spacing ? WHITESPACE[floor(style.next() * WHITESPACE.length)]! : '');
  const write = (at: JsonNode): string => {
    switch (at.kind) {
      case 'raw':
        return at.text;
      case 'string':
        return quote(at.value, style.next, style.escaping);
      case 'array':
        return `[${gap()}${at.items.map((item) => `${write(item)}${gap()}`).join(`,${gap()}`)}]`;
      case 'object':
        return `{${gap()}${at.members
          .map((member) => `${member.escapedKey ? escapeAll(member.key) : quote(member.key, style.next, 0)}${gap()}:${gap()}${write(member.value)}${gap()}`)
          .join(`,${gap()}`)}}`;
    }
  };
  return `${gap()}${write(node)}${gap()}`;
}

/** A string token for `value`: each character plain when JSON allows it, or escaped at random. */
export function quote(value: string, next: () => number, escaping: number): string {
  if (escaping === 0 && !NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    const mustEscape = char === '"' || char === '\\' || code < 0x20;
    // A lone surrogate cannot be written as UTF-8: only an escape carries it.
    const lone = code >= 0xd800 && code <= 0xdfff;
    if (!mustEscape && !lone && next() >= escaping) out += char;
    else if (SHORT_ESCAPES[char] && next() < 0.5) out += SHORT_ESCAPES[char];
    else if (char === '/' && next() < 0.5) out += '\\/';
    else out += escapeAll(char).slice(1, -1);
  }
  return `${out}"`;
}

/** Every UTF-16 unit as `\uXXXX` (upper or lower case hex). */
function escapeAll(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    const hex = value.charCodeAt(i).toString(16).padStart(4, '0');
    out += `\\u${i % 2 === 0 ? hex : hex.toUpperCase()}`;
  }
  return `${out}"`;
}
