import fc from 'fast-check';
import { RedisKeys } from '../../../src/state/redis/redis-keys.js';

/** The part of a key Redis Cluster hashes to pick its slot (the rule of the Cluster specification). */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
}

/** Every prefix REDIS_KEY_PREFIX accepts. */
const prefixes = fc
  .array(fc.constantFrom(...'ab9:_.{}-'.split('')), { minLength: 1, maxLength: 64 })
  .map((chars) => chars.join(''))
  .filter((prefix) => !prefix.includes('{}'));
const groups = fc.constantFrom('rate-limits', 'genesys-token', 'directory:queues', 'directory:users');

describe('Redis key names', () => {
  it('put every key of one group in one hash slot, whatever the prefix and the names', () => {
    fc.assert(
      fc.property(prefixes, groups, fc.string(), fc.string(), (prefix, group, a, b) => {
        const keys = new RedisKeys(prefix);
        expect(hashedPart(keys.inGroup(group, a))).toBe(hashedPart(keys.inGroup(group, b)));
      }),
    );
  });

  it('keep the rate-limit script’s three keys in one slot, which prefix-and-name keys would not', () => {
    const keys = new RedisKeys('gdp:');
    const script = ['tenant:acme', 'share:acme', 'upstream'].map((name) => hashedPart(keys.inGroup('rate-limits', name)));
    expect(new Set(script).size).toBe(1);
    const untagged = ['rl:tenant:acme', 'rl:share:acme', 'rl:upstream'].map((name) => hashedPart(keys.single(name)));
    expect(new Set(untagged).size).toBe(3);
  });

  it('spread single keys over the slots by their whole name', () => {
    const keys = new RedisKeys('gdp:');
    expect(hashedPart(keys.single('job:1'))).not.toBe(hashedPart(keys.single('job:2')));
  });

  it('refuse a prefix with an empty hash tag and a group name that could end the tag early', () => {
    expect(() => new RedisKeys('gdp{}:')).toThrow(/empty hash tag/);
    expect(() => new RedisKeys('gdp:').inGroup('rate}limits', 'x')).toThrow(/group/);
  });

  it('name each group used, so that a probe can reach the slot of each', () => {
    const keys = new RedisKeys('gdp:');
    keys.inGroup('rate-limits', 'upstream');
    keys.inGroup('rate-limits', 'tenant:acme');
    keys.inGroup('genesys-token', 'client');
    expect(keys.groupKeys()).toEqual(['gdp:{rate-limits}', 'gdp:{genesys-token}']);
  });
});
