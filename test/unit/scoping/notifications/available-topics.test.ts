import { scopeAvailableTopics } from '../../../../src/scoping/notifications/available-topics.js';
import { SUPPORTED_TOPICS } from '../../../../src/scoping/notifications/topics.js';
import { contextOf, scopeOf } from '../../../support/scoping.js';

describe('the available topics catalogue', () => {
  it('keeps only the topics the proxy serves, without their schema', () => {
    const answer = { entities: [{ id: 'v2.users.{id}.presence', description: 'Presence', schema: { big: true }, requiresPermissions: [] }, { id: 'v2.users.{id}.geolocation' }, { id: 'v2.system.socket_closing' }], pageSize: 3 };
    expect(scopeAvailableTopics(answer, contextOf(scopeOf('A')))).toEqual({ kind: 'ok', body: { entities: [{ id: 'v2.users.{id}.presence', description: 'Presence', requiresPermissions: [] }] }, kept: 1, removed: 2 });
    expect(SUPPORTED_TOPICS).toContain('v2.analytics.queues.{id}.observations');
  });
});
