import { readFileSync } from 'node:fs';
import { entityFields } from '../../../src/scoping/field-table.js';
import { scopeDivision } from '../../../src/scoping/filters/divisions.js';
import { scopeQueue, scopeQueueMemberListing } from '../../../src/scoping/filters/queues.js';
import { scopeUser } from '../../../src/scoping/filters/users.js';
import { projectEntity, referenceCheckOf } from '../../../src/scoping/projection.js';
import { contextOf, entry, factsOf, scopeOf } from '../../support/scoping.js';

const facts = factsOf(
  [entry('qa1', 'A'), entry('qa2', 'A'), entry('qb1', 'B')],
  [entry('ua1', 'A'), entry('ua2', 'A'), entry('ub1', 'B')],
);
const context = contextOf(scopeOf('A'), [], { facts });
const division = (id: string) => ({ id, name: `division ${id}`, selfUri: `/api/v2/authorization/divisions/${id}` });
const ok = (result: ReturnType<typeof scopeQueue>) => {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
  return result.body as Record<string, unknown>;
};

describe('case 2: nested references of an own entity', () => {
  it('shows an own user’s manager, team and skills only when they are the tenant’s, and drops what it cannot place', () => {
    const user = {
      id: 'ua1',
      name: 'Ava',
      division: division('A'),
      manager: { id: 'ub1', name: 'Boss of B', selfUri: '/api/v2/users/ub1' },
      team: { id: 't1', name: 'Team B', division: division('B') },
      groups: [{ id: 'g1', name: 'Group' }],
      station: { associatedStation: { id: 's1', associatedUser: { id: 'ub1' } } },
      authorization: { roles: [{ id: 'r1', name: 'B admin' }] },
      locations: [{ id: 'l1' }],
      skills: [{ id: 'sk1', name: 'Spanish', proficiency: 4 }],
      routingStatus: { userId: 'ua1', status: 'IDLE' },
      aFieldGenesysAddsTomorrow: { id: 'ub1' },
    };
    const body = ok(scopeUser(user, context));
    expect(body).toEqual({
      id: 'ua1',
      name: 'Ava',
      division: division('A'),
      skills: [{ id: 'sk1', name: 'Spanish', proficiency: 4 }],
      routingStatus: { userId: 'ua1', status: 'IDLE' },
    });
    const own = ok(scopeUser({ ...user, manager: { id: 'ua2', name: 'Boss of A' }, team: { id: 't2', name: 'Team A', division: division('A') } }, context));
    expect(own).toMatchObject({ manager: { id: 'ua2', name: 'Boss of A' }, team: { id: 't2', name: 'Team A' } });
  });

  it('removes an own queue’s foreign backup queue, flows, prompts, scripts and addresses, and every member count', () => {
    const queue = {
      id: 'qa1',
      name: 'Sales',
      division: division('A'),
      memberCount: 12,
      userMemberCount: 12,
      joinedMemberCount: 9,
      directRouting: { backupQueueId: 'qb1', waitForAgent: true },
      queueFlow: { id: 'f1', name: 'Flow of B' },
      emailInQueueFlow: { id: 'f2' },
      messageInQueueFlow: { id: 'f3' },
      whisperPrompt: { id: 'p1' },
      outboundEmailAddress: { domain: { id: 'dom' }, route: { id: 'r' } },
      outboundMessagingAddresses: { smsAddress: { id: 'sms' } },
      defaultScripts: { CALL: { id: 's1', name: 'Script of B', division: division('B') }, EMAIL: { id: 's2', name: 'Script of A', division: division('A') } },
      memberGroups: [
        { id: 'mg1', name: 'Team A', type: 'TEAM', division: division('A'), memberCount: 40 },
        { id: 'mg2', name: 'Team B', type: 'TEAM', division: division('B') },
        { id: 'mg3', name: 'Group', type: 'GROUP' },
      ],
      mediaSettings: { call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 }, newThing: 'x' } },
    };
    expect(ok(scopeQueue(queue, context))).toEqual({
      id: 'qa1',
      name: 'Sales',
      division: division('A'),
      directRouting: { waitForAgent: true },
      defaultScripts: { EMAIL: { id: 's2', name: 'Script of A', division: division('A') } },
      memberGroups: [{ id: 'mg1', name: 'Team A', type: 'TEAM', division: division('A') }],
      mediaSettings: { call: { alertingTimeoutSeconds: 8, serviceLevel: { percentage: 0.8, durationMs: 20000 } } },
    });
    expect(ok(scopeQueue({ ...queue, directRouting: { backupQueueId: 'qa2' } }, context))).toMatchObject({ directRouting: { backupQueueId: 'qa2' } });
  });

  it('removes routing rules whole when any of their targets is not the tenant’s, and keeps them when all are', () => {
    const rules = (queueId: string) => ({
      conditionalGroupRouting: { rules: [{ queue: { id: 'qa2' }, metric: 'EstimatedWaitTime', conditionValue: 30 }, { queue: { id: queueId }, waitSeconds: 5 }] },
      conditionalGroupActivation: { pilotRule: { conditions: [{ simpleMetric: { metric: 'IdleAgentCount', queue: { id: queueId } }, value: 0 }] } },
      bullseye: { rings: [{ expansionCriteria: [{ type: 'TIMEOUT_SECONDS', threshold: 10 }], memberGroups: [{ id: 'mg', type: 'TEAM', division: division(queueId === 'qa1' ? 'A' : 'B') }] }] },
    });
    const foreign = ok(scopeQueue({ id: 'qa1', division: division('A'), ...rules('qb1') }, context));
    expect(foreign).toEqual({ id: 'qa1', division: division('A') });
    const own = ok(scopeQueue({ id: 'qa1', division: division('A'), ...rules('qa1') }, context));
    expect(own).toMatchObject(rules('qa1'));
  });

  it('withholds a member whose user is another tenant’s, and projects the user of an own one', () => {
    const member = (id: string, user: Record<string, unknown>) => ({ id, name: id, joined: true, user, secret: 'x' });
    const body = { entities: [member('ua1', { id: 'ua1', division: division('A'), manager: { id: 'ub1' } }), member('ub1', { id: 'ub1', division: division('B') })], pageSize: 25, pageNumber: 1 };
    const scoped = scopeQueueMemberListing(body, context);
    expect(scoped).toMatchObject({ kind: 'ok', kept: 1, removed: 1 });
    expect((ok(scoped).entities as unknown[])[0]).toEqual({ id: 'ua1', name: 'ua1', joined: true, user: { id: 'ua1', division: division('A') } });
  });

  it('keeps a division’s own object counts and drops what it does not declare', () => {
    const body = ok(scopeDivision({ id: 'A', name: 'A', description: 'd', homeDivision: false, objectCounts: { QUEUE: 3, 'bad key!': 1 }, extra: 'ub1' }, context));
    expect(body).toEqual({ id: 'A', name: 'A', description: 'd', homeDivision: false, objectCounts: { QUEUE: 3 } });
  });

  it('drops values of the wrong type, which could carry anything', () => {
    const projected = projectEntity('queue', { id: 'qa1', division: division('A'), name: { id: 'qb1' }, description: ['qb1'] }, referenceCheckOf(context));
    expect(projected).toEqual({ kind: 'kept', value: { id: 'qa1', division: division('A') }, removed: 0 });
  });

  it('trusts neither the directory nor the embedded division alone when they disagree', () => {
    const check = referenceCheckOf(context);
    expect(check.isOwn('user', 'ua1')).toBe(true);
    expect(check.isOwn('user', 'ua1', 'B')).toBe(false);
    expect(check.isOwn('user', 'ub1', 'A')).toBe(false);
    expect(check.isOwn('user', 'new', 'A')).toBe(true);
    expect(check.isOwn('user', 'new')).toBe(false);
    expect(check.isOwn('flow', 'f1', 'A')).toBe(false);
  });
});

describe('the field table', () => {
  const sdk = readFileSync('node_modules/purecloud-platform-client-v2/index.d.ts', 'utf8');
  const modelFields = (model: string): string[] => {
    const start = sdk.indexOf(`export interface ${model} {`);
    if (start === -1) throw new Error(`no SDK model ${model}`);
    const body = sdk.slice(start, sdk.indexOf('\n\t}', start));
    return [...body.matchAll(/^\s*"(\w+)"\??:/gm)].map((match) => match[1]!);
  };
  const models = { queue: 'Queue', 'queue view': 'Queue', 'queue member': 'QueueMember', user: 'User', division: 'AuthzDivision', 'wrap-up code': 'WrapupCode' } as const;

  it('declares only fields the Genesys SDK 262 models have', () => {
    for (const [kind, fields] of entityFields) {
      const known = modelFields(models[kind]);
      expect(known.length).toBeGreaterThan(3);
      for (const key of fields.keys()) expect([kind, known.includes(key) ? key : `${key} (not in ${models[kind]})`]).toEqual([kind, key]);
    }
  });

  it('declares every entity’s own division so a foreign entity is never shown', () => {
    for (const [kind, fields] of entityFields) {
      const rule = fields.get(kind === 'division' ? 'id' : kind === 'queue member' ? 'user' : 'division');
      expect([kind, rule && 'onForeign' in rule ? rule.onForeign : undefined]).toEqual([kind, 'withhold']);
    }
  });
});
