import type { AnalyticsConversation, AuthzDivision, Queue, User, WrapupCode } from './model.js';
import type { SeededOrg } from './org.js';

/**
 * The org as a client whose roles are granted only in some divisions sees it (`roleDivisions`):
 * configuration objects (divisions, queues, users, wrap-up codes, queue members) outside the grant
 * do not exist for it, on listings and by id alike; a conversation is visible when any of its
 * divisions is granted (Genesys shows a conversation that crossed divisions to every side).
 * Writes still go to the one org. Every route module reads the org through this view unchanged.
 */
export function divisionView(org: SeededOrg, granted: ReadonlySet<string>): SeededOrg {
  const inGrant = (entity: { division: { id: string } }) => granted.has(entity.division.id);
  const memo = new Map<string, { revision: number; value: unknown }>();
  const cached = <T>(name: string, compute: () => T): T => {
    const hit = memo.get(name);
    if (hit?.revision === org.revision) return hit.value as T;
    const value = compute();
    memo.set(name, { revision: org.revision, value });
    return value;
  };
  const visibleUser = (id: string): User | undefined => {
    const user = org.user(id);
    return user && inGrant(user) ? user : undefined;
  };
  const visibleQueue = (id: string): Queue | undefined => {
    const queue = org.queue(id);
    return queue && inGrant(queue) ? queue : undefined;
  };
  const overrides: Partial<Record<keyof SeededOrg, () => unknown>> = {
    divisions: () => cached<AuthzDivision[]>('divisions', () => org.divisions.filter((division) => granted.has(division.id))),
    queues: () => cached<Queue[]>('queues', () => org.queues.filter(inGrant)),
    users: () => cached<User[]>('users', () => org.users.filter(inGrant)),
    usersByName: () => cached<User[]>('usersByName', () => org.usersByName.filter(inGrant)),
    wrapupCodes: () => cached<WrapupCode[]>('wrapupCodes', () => org.wrapupCodes.filter(inGrant)),
    conversations: () => cached<AnalyticsConversation[]>('conversations', () => org.conversations.filter((c) => c.divisionIds.some((id) => granted.has(id)))),
    queueMembers: () =>
      cached('queueMembers', () => new Map([...org.queueMembers].filter(([queue]) => visibleQueue(queue)).map(([queue, members]) => [queue, members.filter((member) => visibleUser(member))]))),
    division: () => (id: string) => (granted.has(id) ? org.division(id) : undefined),
    queue: () => visibleQueue,
    user: () => visibleUser,
    conversation: () => (id: string) => {
      const conversation = org.conversation(id);
      return conversation && conversation.divisionIds.some((division) => granted.has(division)) ? conversation : undefined;
    },
    queuesByName: () => () => cached<Queue[]>('queuesByName', () => org.queuesByName().filter(inGrant)),
    wrapupCodesOf: () => (queue: string) => org.wrapupCodesOf(queue).filter(inGrant),
    updateQueue: () => (id: string, input: Parameters<SeededOrg['updateQueue']>[1]) => (visibleQueue(id) ? org.updateQueue(id, input) : undefined),
    deleteQueue: () => (id: string) => (visibleQueue(id) ? org.deleteQueue(id) : false),
  };
  return new Proxy(org, {
    get(target, property, receiver) {
      const override = overrides[property as keyof SeededOrg];
      if (override) return override();
      // Private fields need the real org as `this`.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value === target ? receiver : value;
    },
  });
}
