import fc from 'fast-check';
import { parseJson } from '../../../src/http/request-body.js';
import { queueWriteSchema, rewriteQueueWrite, writableQueueFields } from '../../../src/scoping/filters/queue-writes.js';
import { inputOf, entry, factsOf, scopeOf } from '../../support/scoping.js';

const facts = factsOf([entry('qa1', 'A'), entry('qa2', 'A'), entry('qc1', 'C')], [entry('ua1', 'A')]);
const write = (body: unknown) => rewriteQueueWrite(queueWriteSchema.parse(body), inputOf(scopeOf('A'), { facts }));
const base = { name: 'Q', division: { id: 'A' } };
const issues = (body: unknown) => {
  const result = queueWriteSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('case 4: queue write bodies are checked whole', () => {
  it('refuses a field the proxy does not know, naming it, at any depth', () => {
    expect(issues({ ...base, peerId: 'x' }).join()).toContain('peerId');
    expect(issues({ ...base, directRouting: { backupQueueId: 'qa1', sneaky: 'qc1' } }).join()).toContain('sneaky');
    expect(issues({ ...base, mediaSettings: { call: { alertingTimeoutSeconds: 8, nextYearsField: 1 } } }).join()).toContain('nextYearsField');
  });

  it('refuses numbers JSON cannot carry exactly (1e400 would reach Genesys as null)', () => {
    const parsed = parseJson('{"name":"Q","division":{"id":"A"},"acwSettings":{"timeoutMs":1e400}}');
    expect(issues(parsed).join()).toMatch(/acwSettings.timeoutMs: must be a finite number/);
    expect(issues({ ...base, routingRules: [{ threshold: 2 ** 60 }] }).join()).toMatch(/routingRules.0.threshold: is outside the range of safe numbers/);
    expect(issues({ ...base, routingRules: [{ threshold: -(2 ** 60) }] }).length).toBe(1);
    expect(issues({ ...base, routingRules: [{ threshold: 3, waitSeconds: 0.5 }] })).toEqual([]);
  });

  it('refuses every reference to another tenant’s queue, wherever the body names it', () => {
    for (const body of [
      { ...base, sourceQueueId: 'qc1' },
      { ...base, directRouting: { backupQueueId: 'qc1' } },
      { ...base, conditionalGroupRouting: { rules: [{ queue: { id: 'qc1' } }] } },
      { ...base, conditionalGroupActivation: { pilotRule: { conditions: [{ simpleMetric: { metric: 'IdleAgentCount', queue: { id: 'qc1' } } }] } } },
      { ...base, conditionalGroupActivation: { rules: [{ conditions: [{ simpleMetric: { queue: { id: 'qc1' } } }] }] } },
    ]) {
      expect(() => write(body)).toThrow(expect.objectContaining({ code: 'not.authorized', status: 403 }));
    }
  });

  it('refuses objects the proxy cannot place in a division, whatever division the tenant claims for them', () => {
    for (const body of [
      { ...base, memberGroups: [{ id: 'g1', type: 'TEAM' }] },
      { ...base, bullseye: { rings: [{ memberGroups: [{ id: 'g1', type: 'GROUP' }] }] } },
      { ...base, conditionalGroupRouting: { rules: [{ queue: { id: 'qa1' }, groups: [{ id: 'g1', type: 'SKILLGROUP' }] }] } },
      { ...base, queueFlow: { id: 'f1' } },
      { ...base, whisperPrompt: { id: 'p1' } },
      { ...base, defaultScripts: { CALL: { id: 's1' } } },
    ]) {
      expect(() => write(body)).toThrow(expect.objectContaining({ code: 'not.authorized' }));
    }
    expect(issues({ ...base, memberGroups: [{ id: 'g1', division: { id: 'A' } }] }).join()).toContain('division');
  });

  it('answers a foreign and an unknown reference alike', () => {
    const refusal = (id: string) => {
      try {
        write({ ...base, directRouting: { backupQueueId: id } });
      } catch (error) {
        return { ...(error as object), message: (error as Error).message };
      }
      return undefined;
    };
    expect(refusal('qc1')).toEqual(refusal('nowhere'));
  });

  it('forwards what it checked, own references included, without the read-only echoes of a read', () => {
    const body = {
      ...base,
      id: 'qa1',
      selfUri: '/api/v2/routing/queues/qa1',
      dateCreated: '2026-01-01T00:00:00Z',
      directRouting: { backupQueueId: 'qa2', waitForAgent: true },
      conditionalGroupRouting: { rules: [{ queue: { id: 'qa2' }, metric: 'EstimatedWaitTime', conditionValue: 30 }] },
    };
    const plan = write(body);
    expect(plan).toEqual({
      kind: 'forward',
      calls: [{ query: new Map(), body: { name: 'Q', division: { id: 'A' }, directRouting: body.directRouting, conditionalGroupRouting: body.conditionalGroupRouting } }],
    });
  });

  it('accepts no key outside the documented list (property)', () => {
    const known = new Set([...writableQueueFields, 'id', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'selfUri']);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue(), (key, value) => {
        fc.pre(!known.has(key) && !['__proto__'].includes(key));
        expect(queueWriteSchema.safeParse({ ...base, [key]: value }).success).toBe(false);
      }),
      { seed: 99, numRuns: 200 },
    );
  });
});
