import type { AnalyticsConversation, AuthzDivision, Queue, User, WrapupCode } from './model.js';
import { hash32 } from './prng.js';
import { seedConversations } from './seed-conversations.js';
import { queueId, userId } from './seed-ids.js';
import {
  MEMBERS_PER_QUEUE,
  buildQueue,
  divisionRef,
  isJoined,
  resolveSeed,
  seedDivision,
  seedQueue,
  seedUser,
  seedUserName,
  seedWrapupCodes,
  type SeedOptions,
} from './seed-org.js';

export interface QueueInput {
  readonly name: string;
  readonly divisionId?: string;
  readonly description?: string;
}

const byName = <T extends { id: string; name: string }>(items: readonly T[]): T[] =>
  items
    .map((item) => ({ item, key: item.name.toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.item.id < b.item.id ? -1 : 1))
    .map(({ item }) => item);

/**
 * The deterministic org behind the simulator. Plain arrays and maps for tests to read; queue
 * changes go through the methods so that indexes and cached sort orders stay right.
 */
export class SeededOrg {
  readonly seed: Required<SeedOptions>;
  readonly divisions: AuthzDivision[] = [];
  readonly queues: Queue[] = [];
  readonly users: User[] = [];
  /** queueId → member user ids, own division first. */
  readonly queueMembers = new Map<string, string[]>();
  readonly conversations: AnalyticsConversation[];
  readonly wrapupCodes: WrapupCode[];
  readonly usersByName: readonly User[];

  #revision = 0;
  #queuesByName?: { revision: number; queues: readonly Queue[] };
  readonly #divisionById = new Map<string, AuthzDivision>();
  readonly #queueById = new Map<string, Queue>();
  readonly #userById = new Map<string, User>();
  readonly #conversationById = new Map<string, AnalyticsConversation>();
  readonly #createdQueues = new Map<string, number>();

  constructor(seed: Partial<SeedOptions> = {}) {
    this.seed = resolveSeed(seed);
    const { queuesPerDivision, usersPerDivision, conversationsPerDivision, extraDivisions } = this.seed;
    const divisionCount = 5 + extraDivisions;
    // Division k's first queue also has a member of the next BPO division: a cross-division member.
    const nextDivision = (k: number): number => (k >= divisionCount - 1 ? 1 : k + 1);
    const ownMembers = Math.min(MEMBERS_PER_QUEUE, usersPerDivision);

    for (let k = 0; k < divisionCount; k += 1) {
      const division = seedDivision(k);
      this.divisions.push(division);
      this.#divisionById.set(division.id, division);
      const ref = divisionRef(division);
      for (let n = 1; n <= usersPerDivision; n += 1) this.users.push(seedUser(ref, k, n));
      for (let n = 1; n <= queuesPerDivision; n += 1) {
        const members = Array.from({ length: ownMembers }, (_, i) => userId(k, i + 1));
        if (k >= 1 && n === 1 && usersPerDivision > 0) members.push(userId(nextDivision(k), 1));
        const id = queueId(k, n);
        this.queueMembers.set(id, members);
        const joined = members.filter((member) => isJoined(id, member)).length;
        this.queues.push(seedQueue(ref, k, n, members.length, joined));
      }
    }
    for (const queue of this.queues) this.#queueById.set(queue.id, queue);
    for (const user of this.users) this.#userById.set(user.id, user);
    this.usersByName = byName(this.users);
    this.wrapupCodes = seedWrapupCodes(divisionRef(this.divisions[0]!));
    this.conversations = seedConversations({
      divisionCount,
      conversationsPerDivision,
      queuesPerDivision,
      memberUsersPerDivision: ownMembers,
      wrapupCodeCount: this.wrapupCodes.length,
      nextDivision,
      userName: seedUserName,
      windowStart: this.seed.conversationWindowStart,
    });
    for (const conversation of this.conversations) this.#conversationById.set(conversation.conversationId, conversation);
  }

  get homeDivision(): AuthzDivision {
    return this.divisions[0]!;
  }

  /** Bumped on every change, so that callers can cache derived views. */
  get revision(): number {
    return this.#revision;
  }

  division(id: string): AuthzDivision | undefined {
    return this.#divisionById.get(id);
  }

  queue(id: string): Queue | undefined {
    return this.#queueById.get(id);
  }

  user(id: string): User | undefined {
    return this.#userById.get(id);
  }

  conversation(id: string): AnalyticsConversation | undefined {
    return this.#conversationById.get(id);
  }

  /** The division(s) owning a seeded entity; empty for unknown ids. */
  ownerDivisionsOf(id: string): string[] {
    if (this.#divisionById.has(id)) return [id];
    const owned = this.#queueById.get(id) ?? this.#userById.get(id);
    if (owned) return [owned.division.id];
    const conversation = this.#conversationById.get(id);
    if (conversation) return [...conversation.divisionIds];
    if (this.wrapupCodes.some((code) => code.id === id)) return [this.homeDivision.id];
    return [];
  }

  queuesByName(): readonly Queue[] {
    if (this.#queuesByName?.revision !== this.#revision) this.#queuesByName = { revision: this.#revision, queues: byName(this.queues) };
    return this.#queuesByName.queues;
  }

  wrapupCodesOf(queue: string): WrapupCode[] {
    const first = hash32(queue) % this.wrapupCodes.length;
    return [0, 1, 2].map((offset) => this.wrapupCodes[(first + offset) % this.wrapupCodes.length]!);
  }

  /** Counts by object type, as `objectCount=true` reports them. */
  objectCounts(divisionId: string): Record<string, number> {
    const inDivision = (entity: { division: { id: string } }) => entity.division.id === divisionId;
    return { QUEUE: this.queues.filter(inDivision).length, USER: this.users.filter(inDivision).length };
  }

  createQueue(input: QueueInput): Queue {
    const division = this.#requireDivision(input.divisionId ?? this.homeDivision.id);
    const k = this.divisions.indexOf(division);
    const n = (this.#createdQueues.get(division.id) ?? this.seed.queuesPerDivision) + 1;
    this.#createdQueues.set(division.id, n);
    const now = Date.now();
    const queue = buildQueue(queueId(k, n), input.name, divisionRef(division), 0, 0, now, now);
    if (input.description !== undefined) queue.description = input.description;
    this.queues.push(queue);
    this.#queueById.set(queue.id, queue);
    this.queueMembers.set(queue.id, []);
    this.#revision += 1;
    return queue;
  }

  updateQueue(id: string, input: QueueInput): Queue | undefined {
    const queue = this.#queueById.get(id);
    if (!queue) return undefined;
    const division = input.divisionId === undefined ? undefined : this.#requireDivision(input.divisionId);
    queue.name = input.name;
    if (input.description !== undefined) queue.description = input.description;
    if (division) queue.division = divisionRef(division);
    queue.dateModified = new Date().toISOString();
    this.#revision += 1;
    return queue;
  }

  moveQueue(queue: string, divisionId: string): Queue {
    const current = this.#queueById.get(queue);
    if (!current) throw new Error(`unknown queue ${queue}`);
    return this.updateQueue(queue, { name: current.name, divisionId })!;
  }

  deleteQueue(id: string): boolean {
    const queue = this.#queueById.get(id);
    if (!queue) return false;
    this.queues.splice(this.queues.indexOf(queue), 1);
    this.#queueById.delete(id);
    this.queueMembers.delete(id);
    this.#revision += 1;
    return true;
  }

  #requireDivision(id: string): AuthzDivision {
    const division = this.#divisionById.get(id);
    if (!division) throw new UnknownDivisionError(id);
    return division;
  }
}

export class UnknownDivisionError extends Error {
  constructor(readonly divisionId: string) {
    super(`division ${divisionId} does not exist`);
    this.name = 'UnknownDivisionError';
  }
}
