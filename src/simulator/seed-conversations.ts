import { MEDIA_TYPES, type AnalyticsConversation, type AnalyticsMetric, type AnalyticsParticipant, type AnalyticsSegment } from './model.js';
import { createRandom, hash32, randomInt, randomUuid } from './prng.js';
import { conversationId, divisionId, queueId, userId, wrapupCodeId } from './seed-ids.js';

export interface ConversationSeedInput {
  readonly divisionCount: number;
  readonly conversationsPerDivision: number;
  readonly queuesPerDivision: number;
  /** How many leading users of a division are members of its queues. */
  readonly memberUsersPerDivision: number;
  readonly wrapupCodeCount: number;
  readonly nextDivision: (k: number) => number;
  readonly userName: (k: number, n: number) => string;
}

/** Conversations start between 2026-11-01 and 2026-11-19 so that every one ends before 2026-11-20. */
const WINDOW_START = Date.UTC(2026, 10, 1);
const WINDOW_SECONDS = 19 * 86_400 - 4 * 3_600;

const iso = (ms: number): string => new Date(ms).toISOString();

export function seedConversations(input: ConversationSeedInput): AnalyticsConversation[] {
  const conversations: AnalyticsConversation[] = [];
  for (let k = 0; k < input.divisionCount; k += 1) {
    for (let n = 1; n <= input.conversationsPerDivision; n += 1) conversations.push(seedConversation(input, k, n));
  }
  return conversations;
}

function seedConversation(input: ConversationSeedInput, k: number, n: number): AnalyticsConversation {
  const random = createRandom(hash32(`conversation:${k}:${n}`));
  const divisions = n % 5 === 0 ? [k, input.nextDivision(k)] : [k];
  const mediaType = MEDIA_TYPES[(n - 1) % MEDIA_TYPES.length]!;
  const direction = n % 4 === 0 ? 'outbound' : 'inbound';
  const abandoned = divisions.length === 1 && direction === 'inbound' && n % 7 === 3;
  const start = WINDOW_START + randomInt(random, 0, WINDOW_SECONDS) * 1000;
  const voice = mediaType === 'voice';

  let clock = start;
  const participants: AnalyticsParticipant[] = [];
  const customer: AnalyticsParticipant = {
    participantId: randomUuid(random),
    participantName: `Customer ${k}-${n}`,
    purpose: 'customer',
    sessions: [],
  };
  participants.push(customer);

  divisions.forEach((division, leg) => {
    const queue = input.queuesPerDivision > 0 ? queueId(division, 1 + ((n - 1 + leg) % input.queuesPerDivision)) : undefined;
    const wait = randomInt(random, 5, 240) * 1000;
    const acdStart = clock;
    clock += wait;
    const acdMetrics: AnalyticsMetric[] = [metric('nOffered', 1, acdStart), metric('tAcd', wait, clock), metric('tWait', wait, clock)];
    if (abandoned) acdMetrics.push(metric('tAbandon', wait, clock));
    participants.push({
      participantId: randomUuid(random),
      participantName: queue ? `Queue ${division}` : 'ACD',
      purpose: 'acd',
      sessions: [
        {
          sessionId: randomUuid(random),
          mediaType,
          direction,
          metrics: acdMetrics,
          segments: [segment(acdStart, clock, 'interact', queue, abandoned ? 'peer' : 'transfer')],
        },
      ],
    });
    if (abandoned || input.memberUsersPerDivision === 0) return;

    const agentIndex = 1 + ((n - 1 + leg) % input.memberUsersPerDivision);
    // The division's first queue has a member of the next BPO division: on every other
    // conversation it routes, that agent takes it (a conversation of one division, handled by
    // another tenant's agent).
    const byForeignMember = division >= 1 && divisions.length === 1 && queue === queueId(division, 1) && n % 2 === 1;
    const agentDivision = byForeignMember ? input.nextDivision(division) : division;
    const agent = byForeignMember ? 1 : agentIndex;
    const alert = randomInt(random, 2, 20) * 1000;
    const talk = randomInt(random, 30, 1500) * 1000;
    const acw = randomInt(random, 0, 120) * 1000;
    const alertStart = clock;
    const talkStart = alertStart + alert;
    const talkEnd = talkStart + talk;
    clock = talkEnd + acw;
    const agentMetrics = [
      metric('tAlert', alert, talkStart),
      metric('tAnswered', wait + alert, talkStart),
      metric('tTalk', talk, talkEnd),
      metric('tTalkComplete', talk, talkEnd),
      metric('tAcw', acw, clock),
      metric('tHandle', talk + acw, clock),
    ];
    if (leg < divisions.length - 1) agentMetrics.push(metric('nTransferred', 1, talkEnd));
    const wrapUpCode = wrapupCodeId(1 + (n % input.wrapupCodeCount));
    participants.push({
      participantId: randomUuid(random),
      participantName: input.userName(agentDivision, agent),
      purpose: 'agent',
      userId: userId(agentDivision, agent),
      sessions: [
        {
          sessionId: randomUuid(random),
          mediaType,
          direction,
          metrics: agentMetrics,
          segments: [
            segment(alertStart, talkStart, 'alert', queue),
            segment(talkStart, talkEnd, 'interact', queue, leg < divisions.length - 1 ? 'transfer' : 'peer'),
            { ...segment(talkEnd, clock, 'wrapup', queue), wrapUpCode },
          ],
        },
      ],
    });
  });

  customer.sessions.push({
    sessionId: randomUuid(random),
    mediaType,
    direction,
    ...(voice ? { ani: `tel:+1555${String(hash32(`ani:${k}:${n}`) % 10_000_000).padStart(7, '0')}`, dnis: 'tel:+18005550100' } : {}),
    metrics: [metric('nConnected', abandoned ? 0 : 1, start)],
    segments: [segment(start, clock, 'interact', undefined, 'endpoint')],
  });

  return {
    conversationId: conversationId(k, n),
    conversationStart: iso(start),
    conversationEnd: iso(clock),
    originatingDirection: direction,
    divisionIds: divisions.map(divisionId),
    ...(voice ? { mediaStatsMinConversationMos: 3.5 + (hash32(`mos:${k}:${n}`) % 100) / 100 } : {}),
    participants,
  };
}

function metric(name: string, value: number, at: number): AnalyticsMetric {
  return { name, value, emitDate: iso(at) };
}

function segment(from: number, to: number, segmentType: AnalyticsSegment['segmentType'], queue?: string, disconnectType?: string): AnalyticsSegment {
  return {
    segmentStart: iso(from),
    segmentEnd: iso(to),
    segmentType,
    ...(queue ? { queueId: queue } : {}),
    ...(disconnectType ? { disconnectType } : {}),
  };
}
