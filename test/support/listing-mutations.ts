import { entityFields, type EntityKind } from '../../src/scoping/field-table.js';
import type { Shape } from '../../src/scoping/field-rule.js';
import type { AnswerMaker } from './answer-maker.js';
import { nodeOf, nodesOf, type JsonMember, type JsonNode } from './json-text.js';

/** Looked up once: inside the test runner's VM context every lookup of a global is slow. */
const floor = Math.floor;

/**
 * Listings as Genesys might send them, and the ways a byte scanner could misread them: exactly the
 * cases it must refuse or get right (duplicate keys, escaped keys, tokens out of grammar, numbers
 * JavaScript reads as infinite, odd divisions, deep nesting, broken bytes).
 */

/** Every key the field table declares, at any depth, and the envelope's keys. */
export const DECLARED_KEYS: readonly string[] = (() => {
  const keys = new Set<string>(['entities', 'pageSize', 'pageNumber', 'total', 'pageCount', 'nextUri', 'division', 'id']);
  const visit = (shape: Shape) => {
    for (const [key, rule] of shape) {
      keys.add(key);
      if ('shape' in rule) visit(rule.shape);
      if (rule.kind === 'map' && 'shape' in rule.of) visit(rule.of.shape);
    }
  };
  for (const shape of entityFields.values()) visit(shape);
  return [...keys];
})();

export const OUT_OF_GRAMMAR = [
  '01', '-01', '1.', '.5', '+1', '1e', '1e+', '-', '--1', '1.e5', 'tru', 'nul', 'fals', 'True', 'NaN', 'Infinity', '-Infinity', 'undefined',
  "'x'", '0x10', '1_000', '"\\x"', '"\\u12"', '"\\uZZZZ"', '"\\U0041"', '"\u0001"', '"a\tb"', '"a\nb"', '"\u001f"', '"abc', '[1,]', '{"a":1,}',
  '{,}', '[,1]', '{"a" 1}', '{"a":}', '{1:2}', '/*c*/1', '1 2', 'truefalse', '\u00a01', '"\\ud800',
];
export const EDGE_NUMBERS = [
  '1e400', '-1e400', '-0', '-0.0', '0e0', '1E+2', '1e-400', '1e308', '2e308', '123456789012345678901234567890', '0.1e1', '1'.repeat(310),
  `0.${'0'.repeat(320)}1`, '4.9e-324', '1.7976931348623157e308', '1.7976931348623159e308', '25.0', '2.5e1', '-25',
];
export const EDGE_STRINGS = ['"\\ud800"', '"\\udc00x"', '"\\ud83d\\ude00"', '"\\u0000"', '"\u2028"', '"é"', '"\\u00e9"', '"\\/"', '""', '"😀"', '"d:\\u0041:0"', '"d:A:0"', '"\u007f"'];
export const ODD_VALUES = ['null', 'true', 'false', '[]', '{}', '""', '0', '[null]', '{"id":5}', '{"id":null}', '{"id":["d:A:0"]}', '{"id":"d:A:0"}', '{"id":"d:B:0"}', '[{"id":"d:A:0"}]', '"d:A:0"'];

/** Byte sequences that are not UTF-8: overlong forms, surrogates, stray continuations, cut sequences. */
export const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xc1, 0xbf]];
export const TRAILING = ['x', '}', ']', ',', ' ,', '\u0000', '{}', ' 1', '\n\n', '\t '];

/** A listing of `kind` built by `maker`, with an envelope that varies (values of any type, any order). */
export function listingOf(maker: AnswerMaker, kind: EntityKind, count: number): Record<string, unknown> {
  const entities = Array.from({ length: count }, () => entityOf(maker, kind));
  const members: [string, unknown][] = [['entities', entities]];
  const paging: [string, unknown[]][] = [
    ['pageSize', [25, 25, 2, 0, -1, 2.5, '25', null]],
    ['pageNumber', [1, 1, 2, 3, 0, '2']],
    ['total', [0, 3, 100, -1, 1.5, '7', null]],
    ['pageCount', [1, 2, 10, -1, '1']],
    ['nextUri', [`/api/v2/routing/queues?pageNumber=2&divisionId=${maker.tag('d')}`, null, 5]],
  ];
  for (const [key, values] of paging) if (maker.chance(0.75)) members.push([key, maker.pick(values)]);
  if (maker.chance(0.4)) members.push([maker.tag('envelope'), maker.unknown()]);
  if (maker.chance(0.3)) members.push(['selfUri', '/api/v2/routing/queues?divisionId=d:B:0']);
  // `entities` may come anywhere in the envelope.
  const at = floor(maker.next() * members.length);
  members.splice(at, 0, members.shift()!);
  return Object.fromEntries(members);
}

function entityOf(maker: AnswerMaker, kind: EntityKind): unknown {
  if (kind === 'queue' || kind === 'queue view') return maker.chance(0.7) ? maker.known('queue') : maker.entity('queue');
  if (kind === 'user') return maker.chance(0.7) ? maker.known('user') : maker.entity('user');
  const entity = maker.entity(kind);
  // Divisions and members do not declare a division of their own; the listing still reads one.
  if (maker.chance(0.5)) entity['division'] = { id: `d:${maker.letter()}:0` };
  return entity;
}

/** The entity objects of a listing tree. */
function entitiesOf(root: JsonNode): JsonNode[] {
  if (root.kind !== 'object') return [];
  const entities = root.members.find((member) => member.key === 'entities')?.value;
  return entities?.kind === 'array' ? entities.items : [];
}

function become(node: JsonNode, replacement: JsonNode): void {
  for (const key of Object.keys(node)) delete (node as Record<string, unknown>)[key];
  Object.assign(node, structuredClone(replacement));
}

const raw = (text: string): JsonNode => ({ kind: 'raw', text });

/** One change to the tree that a byte scanner must either refuse or read as JSON.parse does. */
export function mutateTree(root: JsonNode, maker: AnswerMaker): string {
  const nodes = nodesOf(root);
  const objects = nodes.filter((node): node is Extract<JsonNode, { kind: 'object' }> => node.kind === 'object' && node.members.length > 0);
  const entities = entitiesOf(root);
  const withDivision = objects.filter((node) => node.members.some((member) => member.key === 'division'));
  const anyNode = () => maker.pick(nodes.slice(1).length > 0 ? nodes.slice(1) : nodes);
  const anyObject = () => (entities.length > 0 && maker.chance(0.4) ? maker.pick(entities) : maker.pick(objects.length > 0 ? objects : [root]));
  const oddToken = () => maker.pick([OUT_OF_GRAMMAR, EDGE_NUMBERS, EDGE_STRINGS, ODD_VALUES][floor(maker.next() * 4)]!);
  switch (floor(maker.next() * 10)) {
    case 0:
    case 1: {
      // A key twice: declared or not, at any level (entity, nested, envelope), same or other value.
      const target = withDivision.length > 0 && maker.chance(0.3) ? maker.pick(withDivision) : anyObject();
      if (target.kind !== 'object' || target.members.length === 0) return 'none';
      const original = maker.chance(0.4) ? target.members.find((member) => member.key === 'division') ?? maker.pick(target.members) : maker.pick(target.members);
      const value = maker.chance(0.5) ? structuredClone(original.value) : maker.chance(0.5) ? raw(maker.pick(ODD_VALUES)) : structuredClone(anyNode());
      target.members.splice(floor(maker.next() * (target.members.length + 1)), 0, { key: original.key, value });
      return `duplicate ${original.key}`;
    }
    case 2: {
      const target = anyNode();
      const token = oddToken();
      become(target, raw(token));
      return `value ${token}`;
    }
    case 3: {
      if (entities.length === 0) return 'none';
      const token = maker.pick(ODD_VALUES.filter((value) => !value.startsWith('{')));
      become(maker.pick(entities), raw(token));
      return `entity ${token}`;
    }
    case 4: {
      if (withDivision.length === 0) return 'none';
      const member = maker.pick(withDivision).members.find((candidate) => candidate.key === 'division')!;
      const token = maker.pick([...ODD_VALUES, '{"id":"d:A:0","id":"d:B:0"}', '{"id":"d:B:0","id":"d:A:0"}', '{"i\\u0064":"d:A:0"}', '{"id":"d:\\u0041:0"}', '{"division":{"id":"d:A:0"},"id":"d:A:0"}']);
      member.value = raw(token);
      return `division ${token}`;
    }
    case 5: {
      const target = anyObject();
      if (target.kind !== 'object' || target.members.length === 0) return 'none';
      const member: JsonMember = target.members.find((candidate) => candidate.key === maker.pick(['division', 'id', 'entities'])) ?? maker.pick(target.members);
      member.escapedKey = true;
      return `escaped key ${member.key}`;
    }
    case 6: {
      const depth = 58 + floor(maker.next() * 12);
      let inner: JsonNode = structuredClone(anyNode());
      for (let i = 0; i < depth; i += 1) inner = maker.chance(0.5) ? { kind: 'array', items: [inner] } : { kind: 'object', members: [{ key: 'x', value: inner }] };
      become(anyNode(), inner);
      return `nesting ${depth}`;
    }
    case 7: {
      const token = maker.pick(['[]', '{}', '{"entities":{}}', '{"entities":null}', '[{"entities":[]}]', '"entities"', '{"entities":[]}']);
      if (maker.chance(0.5) || root.kind !== 'object') become(root, raw(token));
      else root.members = root.members.filter((member) => member.key !== 'entities');
      return `envelope ${token}`;
    }
    default: {
      const target = anyObject();
      if (target.kind !== 'object') return 'none';
      const key = maker.chance(0.7) ? maker.pick(DECLARED_KEYS) : maker.pick(['__proto__', 'constructor', 'toString', '0', '1', 'é', '']);
      const value = maker.chance(0.5) ? raw(oddToken()) : nodeOf(maker.unknown());
      target.members.splice(floor(maker.next() * (target.members.length + 1)), 0, { key, value });
      return `member ${key}`;
    }
  }
}

/** One change to the bytes: cut short, a BOM, trailing garbage, invalid UTF-8, a byte changed. */
export function mutateBytes(body: Buffer, maker: AnswerMaker): { body: Buffer; change: string } {
  const at = floor(maker.next() * (body.length + 1));
  switch (floor(maker.next() * 6)) {
    case 0:
      return { body: body.subarray(0, at), change: `cut at ${at}` };
    case 1:
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]), change: 'BOM' };
    case 2: {
      const tail = maker.pick(TRAILING);
      return { body: Buffer.concat([body, Buffer.from(tail)]), change: `trailing ${JSON.stringify(tail)}` };
    }
    case 3: {
      // Inside a string, where a scanner that only looks for quotes would pass it on.
      const quote = body.indexOf(0x22, at);
      const where = quote === -1 ? at : quote + 1;
      const bad = maker.pick(INVALID_UTF8);
      return { body: Buffer.concat([body.subarray(0, where), Buffer.from(bad), body.subarray(where)]), change: `invalid UTF-8 ${bad.join(' ')} at ${where}` };
    }
    case 4: {
      const byte = maker.pick([0x00, 0x09, 0x0b, 0x0c, 0x20, 0x22, 0x2c, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x30, 0x2d, 0x65, 0xa0]);
      const copy = Buffer.from(body);
      if (at < copy.length) copy[at] = byte;
      return { body: copy, change: `byte ${byte} at ${at}` };
    }
    default:
      return { body: Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]), change: `byte dropped at ${at}` };
  }
}
