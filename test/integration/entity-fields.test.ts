import request from 'supertest';
import { divisionId, queueId, userId } from '../../src/simulator/seed-ids.js';
import { expectNoLeak } from '../support/leaks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { keys } from '../support/tenants.js';

const divisionRef = (k: number) => ({ id: divisionId(k), name: `Division ${k}`, selfUri: `/api/v2/authorization/divisions/${divisionId(k)}` });
const writesOf = (h: Harness, correlationId: string) =>
  h.sim.requestLog.all().filter((entry) => entry.headers['inin-correlation-id'] === correlationId && entry.method !== 'GET');

describe('entities are projected field by field', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('case 2: an own user whose manager, team, groups or station are another tenant’s shows none of them', async () => {
    const own = userId(1, 2);
    Object.assign(h.sim.org.user(own)!, {
      manager: { id: userId(3, 1), name: 'Globex boss', selfUri: `/api/v2/users/${userId(3, 1)}` },
      team: { id: 'c0000003-0000-4000-8000-000000000001', name: 'Globex team', division: divisionRef(3) },
      groups: [{ id: 'c0000003-0000-4000-8000-000000000002', name: 'Globex group' }],
      station: { associatedStation: { id: 's1', associatedUser: { id: userId(3, 2) } } },
      authorization: { roles: [{ id: 'r1', name: 'Globex admin' }] },
      profileSkills: ['Spanish'],
      addedByGenesysTomorrow: { owner: userId(3, 3) },
    });
    const res = await request(h.url).get(`/api/v2/users/${own}`).set('X-API-Key', keys.acme).expect(200);
    expectNoLeak('acme', JSON.stringify(res.body), `GET /api/v2/users/${own}`, h.sim.org);
    expect(res.body).toMatchObject({ id: own, division: { id: divisionId(1) }, profileSkills: ['Spanish'] });
    for (const key of ['manager', 'team', 'groups', 'station', 'authorization', 'addedByGenesysTomorrow']) expect(res.body).not.toHaveProperty(key);
    expect(JSON.stringify(res.body)).not.toContain('Globex');

    Object.assign(h.sim.org.user(own)!, { manager: { id: userId(2, 1), name: 'Acme boss' } });
    const listed = await request(h.url).get(`/api/v2/users?id=${own}`).set('X-API-Key', keys.acme).expect(200);
    expect(listed.body.entities[0]).toMatchObject({ id: own, manager: { id: userId(2, 1), name: 'Acme boss' } });
  });

  it('case 2: an own queue shows no other tenant’s backup queue, groups, flows, scripts, addresses or member counts', async () => {
    const own = queueId(3, 2);
    Object.assign(h.sim.org.queue(own)!, {
      directRouting: { backupQueueId: queueId(1, 1), waitForAgent: true },
      memberGroups: [{ id: 'c0000001-0000-4000-8000-000000000009', name: 'Acme team', type: 'TEAM', division: divisionRef(1) }],
      queueFlow: { id: 'c0000001-0000-4000-8000-00000000000a', name: 'Acme flow' },
      whisperPrompt: { id: 'c0000001-0000-4000-8000-00000000000b' },
      defaultScripts: { CALL: { id: 'c0000001-0000-4000-8000-00000000000c', name: 'Acme script', division: divisionRef(1) } },
      outboundEmailAddress: { domain: { id: 'acme.example' }, route: { id: 'c0000001-0000-4000-8000-00000000000d' } },
      conditionalGroupRouting: { rules: [{ queue: { id: queueId(1, 2) }, metric: 'EstimatedWaitTime', conditionValue: 30 }] },
      conditionalGroupActivation: { pilotRule: { conditions: [{ simpleMetric: { metric: 'IdleAgentCount', queue: { id: queueId(2, 2) } }, value: 0 }] } },
      bullseye: { rings: [{ memberGroups: [{ id: 'c0000002-0000-4000-8000-00000000000e', type: 'TEAM', division: divisionRef(2) }] }] },
    });
    for (const path of [`/api/v2/routing/queues/${own}`, '/api/v2/routing/queues?pageSize=100']) {
      const res = await request(h.url).get(path).set('X-API-Key', keys.globex).expect(200);
      const text = JSON.stringify(res.body);
      expectNoLeak('globex', text, `GET ${path}`, h.sim.org, { request: path });
      expect(text).not.toMatch(/Acme|acme\.example|c0000001|c0000002|memberCount|MemberCount/);
      const queue = path.includes('?') ? res.body.entities.find((q: { id: string }) => q.id === own) : res.body;
      expect(queue).toMatchObject({ id: own, directRouting: { waitForAgent: true } });
      for (const key of ['memberGroups', 'queueFlow', 'whisperPrompt', 'defaultScripts', 'outboundEmailAddress', 'conditionalGroupRouting', 'conditionalGroupActivation', 'bullseye']) {
        expect(queue).not.toHaveProperty(key);
      }
    }
  });

  it('case 1: a queue’s wrap-up codes of other divisions are not shown, and own ones are projected and paged', async () => {
    const queue = queueId(1, 5);
    const codes = h.sim.org.wrapupCodesOf(queue);
    // One code of Acme's, one of Globex's, one in Home: the listing must show only Acme's.
    Object.assign(codes[0]!, { division: divisionRef(1), createdBy: userId(3, 1), secretField: userId(3, 2) });
    Object.assign(codes[1]!, { division: divisionRef(3) });
    Object.assign(codes[2]!, { division: divisionRef(0) });
    const path = `/api/v2/routing/queues/${queue}/wrapupcodes`;
    const res = await request(h.url).get(`${path}?pageSize=1`).set('X-API-Key', keys.acme).expect(200);
    const text = JSON.stringify(res.body);
    expectNoLeak('acme', text, `GET ${path}`, h.sim.org, { request: `${path}?pageSize=1` });
    expect(res.body.entities).toEqual([{ id: codes[0]!.id, name: codes[0]!.name, division: divisionRef(1), selfUri: codes[0]!.selfUri }]);
    expect(res.body).toMatchObject({ total: 1, pageCount: 1, pageSize: 1, pageNumber: 1 });
    expect(res.body).not.toHaveProperty('nextUri');
    for (const other of [codes[1]!, codes[2]!]) expect(text).not.toContain(other.id);
    expect(text).not.toContain(divisionId(3));
    expect(text).not.toContain(divisionId(0));
  });

  it('case 4: a queue write naming another tenant’s objects anywhere in its body is refused before Genesys', async () => {
    const own = queueId(3, 3);
    const bodies = [
      { directRouting: { backupQueueId: queueId(1, 1) } },
      { memberGroups: [{ id: 'c0000001-0000-4000-8000-000000000009', type: 'TEAM' }] },
      { queueFlow: { id: 'c0000001-0000-4000-8000-00000000000a' } },
      { conditionalGroupActivation: { rules: [{ conditions: [{ simpleMetric: { metric: 'IdleAgentCount', queue: { id: queueId(1, 3) } } }] }] } },
      { bullseye: { rings: [{ memberGroups: [{ id: 'c0000001-0000-4000-8000-000000000009', type: 'TEAM' }] }] } },
      { defaultScripts: { CALL: { id: 'c0000001-0000-4000-8000-00000000000c' } } },
    ];
    for (const [i, extra] of bodies.entries()) {
      for (const [method, path] of [['post', '/api/v2/routing/queues'], ['put', `/api/v2/routing/queues/${own}`]] as const) {
        const correlationId = `foreign-ref-${method}-${i}`;
        const res = await request(h.url)[method](path).set('X-API-Key', keys.globex).set('inin-correlation-id', correlationId).send({ name: 'Q', division: { id: divisionId(3) }, ...extra });
        expect([res.status, res.body.code]).toEqual([403, 'not.authorized']);
        expect(writesOf(h, correlationId)).toHaveLength(0);
      }
    }
  });

  it('case 4: an unknown field is refused naming it, and 1e400 never reaches Genesys as null', async () => {
    const post = (raw: string, correlationId: string) =>
      request(h.url).post('/api/v2/routing/queues').set('X-API-Key', keys.globex).set('inin-correlation-id', correlationId).set('content-type', 'application/json').send(raw);
    const unknown = await post(JSON.stringify({ name: 'Q', division: { id: divisionId(3) }, outboundEmailAddress: { route: { id: 'x' } } }), 'unknown-field').expect(400);
    expect(unknown.body).toMatchObject({ code: 'body.invalid' });
    expect(unknown.body.message).toContain('outboundEmailAddress');
    const huge = await post(`{"name":"Q","division":{"id":"${divisionId(3)}"},"acwSettings":{"timeoutMs":1e400}}`, 'huge-number').expect(400);
    expect(huge.body.message).toContain('acwSettings.timeoutMs');
    expect(writesOf(h, 'unknown-field').concat(writesOf(h, 'huge-number'))).toHaveLength(0);
  });
});
