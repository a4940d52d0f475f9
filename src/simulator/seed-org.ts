import { divisionSelfUri, queueSelfUri, userSelfUri, type AuthzDivision, type DivisionRef, type MediaSetting, type Queue, type User, type WrapupCode } from './model.js';
import { createRandom, hash32, randomInt } from './prng.js';
import { divisionId, queueId, userId, wrapupCodeId } from './seed-ids.js';

export interface SeedOptions {
  /** Default 30, so that the default page size of 25 needs two pages. */
  queuesPerDivision: number;
  usersPerDivision: number;
  conversationsPerDivision: number;
  /** Additional BPO divisions beyond the fixed ones, for benchmarks. */
  extraDivisions: number;
  /** Epoch ms: conversations start within the 19 days from here (fixed by default, so tests are repeatable). */
  conversationWindowStart?: number;
}

export const DEFAULT_SEED: Readonly<Required<SeedOptions>> = {
  queuesPerDivision: 30,
  usersPerDivision: 12,
  conversationsPerDivision: 20,
  extraDivisions: 0,
  conversationWindowStart: Date.UTC(2026, 10, 1),
};

/** A seed whose conversations fall in the 20 days before `now`, so "the last 7 days" finds some (the demo). */
export function recentConversations(now: number): Pick<SeedOptions, 'conversationWindowStart'> {
  const today = now - (now % 86_400_000);
  return { conversationWindowStart: today - 19 * 86_400_000 };
}

const FIXED_DIVISIONS = ['Home', 'Acme North', 'Acme South', 'Globex', 'Initech'] as const;
/** Each queue has this many of its own division's users as members. */
export const MEMBERS_PER_QUEUE = 8;

const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonah', 'Kira', 'Liam', 'Maya', 'Nikhil', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tara'];
const LAST_NAMES = ['Nguyen', 'Okafor', 'Schmidt', 'Rossi', 'Tanaka', 'Silva', 'Kowalski', 'Haddad', 'Murphy', 'Larsen', 'Petrov', 'Moreau', 'Singh', 'Garcia', 'Kim', 'Dubois', 'Novak', 'Ahmed', 'Brennan', 'Costa'];
const TITLES = ['Agent', 'Senior Agent', 'Team Lead', 'Supervisor'];
const WRAPUP_NAMES = ['Resolved', 'Escalated', 'Callback requested', 'No answer', 'Sale', 'Follow-up'];

export function resolveSeed(seed: Partial<SeedOptions> = {}): Required<SeedOptions> {
  const resolved = { ...DEFAULT_SEED, ...seed };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`seed.${key} must be a non-negative integer, got ${String(value)}`);
  }
  return resolved;
}

export function divisionName(k: number): string {
  return FIXED_DIVISIONS[k] ?? `BPO ${String(k).padStart(2, '0')}`;
}

export const divisionRef = (division: AuthzDivision): DivisionRef => ({ id: division.id, name: division.name, selfUri: division.selfUri });

export function seedDivision(k: number): AuthzDivision {
  const id = divisionId(k);
  const name = divisionName(k);
  return {
    id,
    name,
    description: k === 0 ? 'The organisation’s home division' : `Contact-centre estate of ${name}`,
    homeDivision: k === 0,
    selfUri: divisionSelfUri(id),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

function mediaSetting(alertingTimeoutSeconds: number, durationMs: number): MediaSetting {
  return { alertingTimeoutSeconds, serviceLevel: { percentage: 0.8, durationMs } };
}

export function buildQueue(id: string, name: string, division: DivisionRef, memberCount: number, joinedMemberCount: number, createdMs: number, modifiedMs: number): Queue {
  return {
    id,
    name,
    division,
    description: `Routing for ${name}`,
    dateCreated: iso(createdMs),
    dateModified: iso(modifiedMs),
    memberCount,
    userMemberCount: memberCount,
    joinedMemberCount,
    mediaSettings: {
      call: mediaSetting(8, 20000),
      chat: mediaSetting(30, 60000),
      email: mediaSetting(300, 86400000),
    },
    acwSettings: { wrapupPrompt: 'MANDATORY_TIMEOUT', timeoutMs: 30000 },
    skillEvaluationMethod: 'BEST',
    selfUri: queueSelfUri(id),
  };
}

export function seedQueue(division: DivisionRef, k: number, n: number, memberCount: number, joinedMemberCount: number): Queue {
  const random = createRandom(hash32(`queue:${k}:${n}`));
  const created = Date.UTC(2025, 0, 1) + randomInt(random, 0, 300) * 86_400_000 + randomInt(random, 0, 86_399) * 1000;
  const modified = created + randomInt(random, 0, 200) * 86_400_000;
  return buildQueue(queueId(k, n), `${division.name} Queue ${n}`, division, memberCount, joinedMemberCount, created, modified);
}

export function seedUserName(k: number, n: number): string {
  return `${FIRST_NAMES[(k * 7 + n) % FIRST_NAMES.length]} ${LAST_NAMES[(k * 3 + n * 11) % LAST_NAMES.length]}`;
}

export function seedUser(division: DivisionRef, k: number, n: number): User {
  const id = userId(k, n);
  const login = `${seedUserName(k, n).toLowerCase().replace(' ', '.')}.${k}.${n}@sim.example.com`;
  return {
    id,
    name: seedUserName(k, n),
    division,
    email: login,
    state: 'active',
    title: TITLES[n % TITLES.length]!,
    username: login,
    version: 1 + (n % 3),
    selfUri: userSelfUri(id),
  };
}

export function seedWrapupCodes(home: DivisionRef): WrapupCode[] {
  return WRAPUP_NAMES.map((name, index) => {
    const id = wrapupCodeId(index + 1);
    return { id, name, division: home, selfUri: `/api/v2/routing/wrapupcodes/${id}` };
  });
}

/** Whether a member has joined its queue; stable per pair so that listings and counts agree. */
export function isJoined(queue: string, user: string): boolean {
  return hash32(`${queue}|${user}`) % 4 !== 0;
}
