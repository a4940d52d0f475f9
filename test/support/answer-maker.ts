import fc from 'fast-check';
import type { FieldRule, ReferenceTarget, Shape } from '../../src/scoping/field-rule.js';
import { entityFields, type EntityKind } from '../../src/scoping/field-table.js';
import type { DirectoryEntry } from '../../src/scoping/division-index.js';
import { entry } from './scoping.js';

/** Looked up once: inside the test runner's VM context every lookup of a global is slow. */
const floor = Math.floor;

/**
 * Random answers built from the field table itself, for random orgs: every declared field (most of
 * the time), references to own, foreign and unknown objects, and keys the proxy has never seen.
 * Everything of a division is tagged `<kind>:<division>:<n>`; counts are numbers from 9100000 up.
 */
export const DIVISIONS = ['A', 'B', 'C', 'D', 'E'];
export const divisionId = (letter: string) => `d:${letter}:0`;

export interface Org {
  readonly queues: DirectoryEntry[];
  readonly users: DirectoryEntry[];
}

export class AnswerMaker {
  #count = 9100000;
  constructor(
    readonly org: Org,
    readonly next: () => number,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  letter(): string {
    return this.pick(DIVISIONS);
  }
  tag(kind: string, letter = this.letter()): string {
    return `${kind}:${letter}:${floor(this.next() * 1000)}`;
  }

  /** A value of a key the proxy has never seen: anything, naming anything. */
  unknown(depth = 0): unknown {
    const roll = this.next();
    if (roll < 0.3) return this.tag(this.pick(['queue', 'user', 'flow', 'secret']));
    if (roll < 0.45) return this.#count++;
    if (roll < 0.55 || depth > 2) return { id: this.tag('thing'), division: { id: divisionId(this.letter()) } };
    if (roll < 0.7) return [this.unknown(depth + 1), this.unknown(depth + 1)];
    return { [this.tag('key')]: this.unknown(depth + 1), nested: this.unknown(depth + 1) };
  }

  object(fields: Shape, owner?: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, rule] of fields) if (this.chance(0.8)) out[key] = this.field(rule, key, owner);
    const extras = floor(this.next() * 3);
    for (let i = 0; i < extras; i += 1) out[this.pick(['secretField', 'newCount', 'relatedQueue', 'x', 'owner'])] = this.unknown();
    return out;
  }

  field(rule: FieldRule, key: string, owner?: string): unknown {
    switch (rule.kind) {
      case 'value':
        if (rule.type === 'number') return floor(this.next() * 100);
        if (rule.type === 'boolean') return this.chance(0.5);
        // Plain text carries the entity's own tag: a value that names nothing else.
        return owner ? `${key}:${owner}:1` : 'text';
      case 'values':
        return rule.type === 'string' ? [owner ? `${key}:${owner}:2` : 'text'] : [1, 2];
      case 'object':
        return this.object(rule.shape, owner);
      case 'objects':
        return [this.object(rule.shape, owner), this.object(rule.shape, owner)];
      case 'map':
        return { call: this.field(rule.of, key, owner), email: this.field(rule.of, key, owner) };
      case 'ref':
        return this.reference(rule.target, rule.shape);
      case 'refs':
        return [this.reference(rule.target, rule.shape), this.reference(rule.target, rule.shape)];
      case 'ref-id':
        return (this.reference(rule.target, new Map()) as { id: string }).id;
      case 'drop':
        return key.toLowerCase().includes('count') ? this.#count++ : this.unknown();
    }
  }

  /** A reference to an object of the org (own or not), or to one the directories do not know. */
  reference(target: ReferenceTarget, fields: Shape): unknown {
    const directory = target === 'queue' ? this.org.queues : target === 'user' ? this.org.users : undefined;
    if (directory && directory.length > 0 && this.chance(0.85)) {
      const known = this.pick(directory);
      const letter = known.divisionId.split(':')[1]!;
      const body = fields.size > 4 ? this.entity(target === 'user' ? 'user' : 'queue', known.id, letter) : { id: known.id, name: known.name };
      return this.chance(0.5) ? { ...body, division: { id: known.divisionId, name: `name:${letter}:0` } } : body;
    }
    if (target === 'division') return { id: divisionId(this.letter()) };
    const letter = this.letter();
    return { ...this.object(fields, letter), id: this.tag(target.replace(/-/g, ''), letter), name: this.tag('name', letter), division: { id: divisionId(letter) } };
  }

  entity(kind: EntityKind, id?: string, letter = this.letter()): Record<string, unknown> {
    if (kind === 'queue member') {
      // A member is its user's: its own values name that user's division.
      const user = this.reference('user', entityFields.get('user')!) as { id: string; division?: { id: string } };
      const userLetter = /^[a-z]+:([A-E]):/.exec(user.id)?.[1] ?? letter;
      return { ...this.object(entityFields.get(kind)!, userLetter), id: user.id, user };
    }
    const body = this.object(entityFields.get(kind)!, letter);
    if (kind === 'division') return { ...body, id: divisionId(letter), name: `name:${letter}:0` };
    return { ...body, id: id ?? this.tag(kind.replace(/ /g, ''), letter), division: { id: divisionId(letter), name: `name:${letter}:0` } };
  }

  /** One of the org's queues or users, as Genesys would return it. */
  known(kind: 'queue' | 'user'): Record<string, unknown> {
    const directory = kind === 'queue' ? this.org.queues : this.org.users;
    if (directory.length === 0) return this.entity(kind);
    const known = this.pick(directory);
    return this.entity(kind, known.id, known.divisionId.split(':')[1]!);
  }

  listing(entities: unknown[]): Record<string, unknown> {
    return { entities, pageSize: 25, pageNumber: 1, total: this.#count++, pageCount: this.#count++, nextUri: `/api/v2/x?divisionId=${this.tag('d')}`, [this.tag('envelope')]: this.unknown() };
  }
}

export const orgArb: fc.Arbitrary<Org> = fc
  .record({
    queues: fc.uniqueArray(fc.record({ n: fc.nat(999), division: fc.constantFrom(...DIVISIONS) }), { selector: (q) => q.n, maxLength: 20 }),
    users: fc.uniqueArray(fc.record({ n: fc.nat(999), division: fc.constantFrom(...DIVISIONS) }), { selector: (u) => u.n, maxLength: 20 }),
  })
  .map(({ queues, users }) => ({
    queues: queues.map((q) => entry(`queue:${q.division}:${q.n}`, divisionId(q.division), `name:${q.division}:${q.n}`)),
    users: users.map((u) => entry(`user:${u.division}:${u.n}`, divisionId(u.division), `name:${u.division}:${u.n}`)),
  }));
