import { ByteProjector } from '../../../../src/scoping/bytes/byte-projection.js';
import { byteShapeOf, fieldAt, nextVisit } from '../../../../src/scoping/bytes/byte-shape.js';
import { ByteSink } from '../../../../src/scoping/bytes/byte-sink.js';
import { NOT_CERTAIN } from '../../../../src/scoping/bytes/json-bytes.js';
import { referenceCheckOf } from '../../../../src/scoping/projection.js';
import { map, object, objects, ref, refs, shape, text, type FieldRule, type Shape } from '../../../../src/scoping/field-rule.js';
import { entityFields } from '../../../../src/scoping/field-table.js';
import { queueListingOptions, scopeQueueListingBytes } from '../../../../src/scoping/filters/queues.js';
import { compareWithReference, referenceListing } from '../../../support/byte-differential.js';
import { contextOf, scopeOf } from '../../../support/scoping.js';

/** Every shape of the field table, nested ones included. */
function allShapes(): Shape[] {
  const found = new Set<Shape>();
  const visitRule = (rule: FieldRule) => {
    if ('shape' in rule) visit(rule.shape);
    if (rule.kind === 'map') visitRule(rule.of);
  };
  const visit = (fields: Shape) => {
    if (found.has(fields)) return;
    found.add(fields);
    for (const rule of fields.values()) visitRule(rule);
  };
  for (const fields of entityFields.values()) visit(fields);
  return [...found];
}

const lookup = (fields: Shape, key: string) => {
  const bytes = Buffer.from(`"${key}"`);
  return fieldAt(byteShapeOf(fields), bytes, 1, bytes.length - 1);
};

describe('byte shapes', () => {
  it('find every declared key of every shape of the field table, with its rule compiled', () => {
    const shapes = allShapes();
    expect(shapes.length).toBeGreaterThan(20);
    for (const fields of shapes) {
      for (const [name, rule] of fields) expect(lookup(fields, name)).toMatchObject({ name, rule: { kind: rule.kind } });
    }
  });

  it('find no key that is not declared: same length, a prefix, one byte longer, one byte changed', () => {
    const queue = entityFields.get('queue')!;
    for (const key of ['divisiom', 'Division', 'divisio', 'divisions', 'ids', 'i', '', 'nam\u00e9', 'selfUrl']) expect(lookup(queue, key)).toBeUndefined();
  });

  it('compile each shape once', () => {
    const queue = entityFields.get('queue')!;
    expect(byteShapeOf(queue)).toBe(byteShapeOf(queue));
  });

  it('refuse a shape that contains itself, however deep', () => {
    const nestings: ((inner: Shape) => FieldRule)[] = [
      (inner) => object(inner),
      (inner) => objects(inner),
      (inner) => ref('queue', inner),
      (inner) => refs('team', inner),
      (inner) => map(ref('script', inner)),
      (inner) => object(shape({ deeper: objects(inner) })),
    ];
    for (const nest of nestings) {
      const looped = new Map<string, FieldRule>([['id', text]]);
      looped.set('self', nest(looped));
      expect(() => byteShapeOf(looped)).toThrow('a field table shape contains itself');
    }
  });

  it('number visits so that no two visits share a number', () => {
    const first = nextVisit();
    const second = nextVisit();
    expect(second).toBeGreaterThan(first);
  });

  describe('duplicate keys', () => {
    const context = contextOf(scopeOf('d:A:0'));
    const reference = referenceListing('queue', queueListingOptions);
    const verdict = (entity: string) => compareWithReference(scopeQueueListingBytes, reference, Buffer.from(`{"entities":[${entity}]}`), context).kind;
    /** What the byte projector alone makes of one entity: projected, or not certain (then the reference judges it). */
    const scanned = (entity: string) => {
      const bytes = Buffer.from(entity);
      try {
        new ByteProjector(bytes, new ByteSink(bytes), referenceCheckOf(context)).entity(entityFields.get('queue')!, 0);
        return 'projected';
      } catch (error) {
        if (error === NOT_CERTAIN) return 'not certain';
        throw error;
      }
    };
    const own = (rest: string) => `{"id":"queue:A:1","division":{"id":"d:A:0"}${rest}}`;

    it('are refused at the entity, in nested objects and in list items: the reference answers for that entity', () => {
      for (const entity of [
        own(',"name":"a","name":"b"'),
        own(',"acwSettings":{"timeoutMs":1,"timeoutMs":2}'),
        own(',"routingRules":[{"threshold":1},{"threshold":1,"threshold":2}]'),
        own(',"mediaSettings":{"call":{"serviceLevel":{"percentage":1,"percentage":2}}}'),
      ]) {
        expect(scanned(entity)).toBe('not certain');
        expect(verdict(entity)).toBe('equal');
      }
    });

    it('are not the same key met in sibling objects of one shape, nor in an object nested in another', () => {
      for (const entity of [
        own(',"routingRules":[{"threshold":1},{"threshold":2}]'),
        own(',"mediaSettings":{"call":{"alertingTimeoutSeconds":1},"chat":{"alertingTimeoutSeconds":2}}'),
        own(',"queueFlow":{"id":"f"},"name":"n","emailInQueueFlow":{"id":"f","name":"n"}'),
      ]) {
        expect(scanned(entity)).toBe('projected');
        expect(verdict(entity)).toBe('equal');
      }
    });

    it('are refused in an entity already withheld, where JSON.parse could judge it otherwise', () => {
      const entity = '{"division":{"id":"d:B:0"},"division":{"id":"d:A:0"},"id":"queue:A:1"}';
      expect(scanned(entity)).toBe('not certain');
      expect(verdict(entity)).toBe('equal');
    });
  });
});
