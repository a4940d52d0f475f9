import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import type { ReferenceTarget } from '../field-rule.js';
import { referenceCheckOf } from '../projection.js';
import { forward, type RequestInput, type RequestPlan } from '../route-rule.js';

/**
 * `CreateQueueRequest` / `QueueRequest` (SDK 262), as far as a tenant may write them. The body is
 * checked whole: a key not declared here is refused with 400 naming it, a number outside the
 * range JSON carries exactly (`1e400` parses as Infinity, which would reach Genesys as `null`) is
 * refused, and every reference is checked as the answers' references are (`referencesOf`).
 */
const safeNumber = z
  .number({ error: 'must be a finite number' })
  .min(-Number.MAX_SAFE_INTEGER, { error: 'is outside the range of safe numbers' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is outside the range of safe numbers' });
const id = z.string().min(1).max(128);
const name = z.string().max(256);
const shortText = z.string().max(256);
/** A reference as Genesys takes it; `name` and `selfUri` are echoes of a read, not forwarded. */
const reference = z.strictObject({ id, name: name.optional(), selfUri: z.string().max(512).optional() });
const memberGroup = z.strictObject({ id, type: shortText.optional(), name: name.optional(), selfUri: z.string().max(512).optional() });

const mediaSetting = {
  enableAutoAnswer: z.boolean().optional(),
  alertingTimeoutSeconds: safeNumber.optional(),
  serviceLevel: z.strictObject({ percentage: safeNumber.optional(), durationMs: safeNumber.optional() }).optional(),
  autoAnswerAlertToneSeconds: safeNumber.optional(),
  manualAnswerAlertToneSeconds: safeNumber.optional(),
};
const condition = z.strictObject({
  simpleMetric: z.strictObject({ metric: shortText.optional(), queue: reference.optional() }).optional(),
  operator: shortText.optional(),
  value: safeNumber.optional(),
});
const directRoutingMedia = z.strictObject({ useAgentAddressOutbound: z.boolean().optional() }).optional();
const list = <T extends z.ZodType>(item: T) => z.array(item).max(100);

const queueWriteFields = {
  name: name.min(1),
  division: reference.optional(),
  description: z.string().max(4096).optional(),
  mediaSettings: z
    .strictObject({
      call: z.strictObject(mediaSetting).optional(),
      callback: z
        .strictObject({
          ...mediaSetting,
          mode: shortText.optional(),
          enableAutoDialAndEnd: z.boolean().optional(),
          autoDialDelaySeconds: safeNumber.optional(),
          autoEndDelaySeconds: safeNumber.optional(),
          pacingModifier: safeNumber.optional(),
          maxRetryCount: safeNumber.optional(),
          retryDelaySeconds: safeNumber.optional(),
          liveVoiceReactionType: shortText.optional(),
          liveVoiceFlow: reference.optional(),
          answeringMachineReactionType: shortText.optional(),
          answeringMachineFlow: reference.optional(),
        })
        .optional(),
      chat: z.strictObject(mediaSetting).optional(),
      email: z.strictObject(mediaSetting).optional(),
      message: z.strictObject({ ...mediaSetting, enableInactivityTimeout: z.boolean().optional() }).optional(),
    })
    .optional(),
  routingRules: list(z.strictObject({ operator: shortText.optional(), threshold: safeNumber.optional(), waitSeconds: safeNumber.optional() })).optional(),
  conditionalGroupRouting: z
    .strictObject({
      rules: list(
        z.strictObject({
          queue: reference.optional(),
          metric: shortText.optional(),
          operator: shortText.optional(),
          conditionValue: safeNumber.optional(),
          groups: list(memberGroup).optional(),
          waitSeconds: safeNumber.optional(),
        }),
      ).optional(),
    })
    .optional(),
  conditionalGroupActivation: z
    .strictObject({
      pilotRule: z.strictObject({ conditions: list(condition).optional(), conditionExpression: shortText.optional() }).optional(),
      rules: list(z.strictObject({ conditions: list(condition).optional(), conditionExpression: shortText.optional(), groups: list(memberGroup).optional() })).optional(),
    })
    .optional(),
  bullseye: z
    .strictObject({
      rings: list(
        z.strictObject({
          expansionCriteria: list(z.strictObject({ type: shortText.optional(), threshold: safeNumber.optional() })).optional(),
          actions: z.strictObject({ skillsToRemove: list(z.strictObject({ id, name: name.optional(), selfUri: z.string().max(512).optional() })).optional() }).optional(),
          memberGroups: list(memberGroup).optional(),
        }),
      ).optional(),
    })
    .optional(),
  scoringMethod: shortText.optional(),
  lastAgentRoutingMode: shortText.optional(),
  acwSettings: z.strictObject({ wrapupPrompt: shortText.optional(), timeoutMs: safeNumber.optional() }).optional(),
  skillEvaluationMethod: shortText.optional(),
  memberGroups: list(memberGroup).optional(),
  queueFlow: reference.optional(),
  emailInQueueFlow: reference.optional(),
  messageInQueueFlow: reference.optional(),
  whisperPrompt: reference.optional(),
  onHoldPrompt: reference.optional(),
  defaultMediaLanguage: shortText.optional(),
  autoAnswerOnly: z.boolean().optional(),
  enableTranscription: z.boolean().optional(),
  enableAudioMonitoring: z.boolean().optional(),
  enableManualAssignment: z.boolean().optional(),
  agentOwnedRouting: z
    .strictObject({ enableAgentOwnedCallbacks: z.boolean().optional(), maxOwnedCallbackHours: safeNumber.optional(), maxOwnedCallbackDelayHours: safeNumber.optional() })
    .optional(),
  directRouting: z
    .strictObject({
      callMediaSettings: directRoutingMedia,
      emailMediaSettings: directRoutingMedia,
      messageMediaSettings: directRoutingMedia,
      backupQueueId: id.optional(),
      waitForAgent: z.boolean().optional(),
      agentWaitSeconds: safeNumber.optional(),
    })
    .optional(),
  callingPartyName: shortText.optional(),
  callingPartyNumber: shortText.optional(),
  defaultScripts: z.record(z.string().regex(/^[A-Za-z]{1,32}$/), reference).optional(),
  suppressInQueueCallRecording: z.boolean().optional(),
  /** `POST` only in Genesys: copy the settings of this queue. */
  sourceQueueId: id.optional(),
};

/**
 * Keys a client sends back when it writes what it read; Genesys sets them itself, so they are
 * accepted and not forwarded. (Member counts are not among them: the proxy never shows them.)
 */
const readOnlyEchoes = {
  id: id.optional(),
  dateCreated: shortText.optional(),
  dateModified: shortText.optional(),
  createdBy: id.optional(),
  modifiedBy: id.optional(),
  selfUri: z.string().max(512).optional(),
};
const READ_ONLY_KEYS = Object.keys(readOnlyEchoes);

export const queueWriteSchema = z.strictObject({ ...queueWriteFields, ...readOnlyEchoes });

export type QueueWrite = z.infer<typeof queueWriteSchema>;

/** The keys a tenant may write, for the README. */
export const writableQueueFields: readonly string[] = Object.keys(queueWriteFields);
export const ignoredQueueFields: readonly string[] = READ_ONLY_KEYS;

/** Every object the body names, with what it is. */
export function referencesOf(body: QueueWrite): { target: ReferenceTarget; id: string; field: string }[] {
  const found: { target: ReferenceTarget; id: string; field: string }[] = [];
  const add = (target: ReferenceTarget, field: string, ref: { id: string } | string | undefined) => {
    if (ref !== undefined) found.push({ target, field, id: typeof ref === 'string' ? ref : ref.id });
  };
  add('queue', 'sourceQueueId', body.sourceQueueId);
  add('queue', 'directRouting.backupQueueId', body.directRouting?.backupQueueId);
  for (const field of ['queueFlow', 'emailInQueueFlow', 'messageInQueueFlow'] as const) add('flow', field, body[field]);
  for (const field of ['whisperPrompt', 'onHoldPrompt'] as const) add('prompt', field, body[field]);
  add('flow', 'mediaSettings.callback.liveVoiceFlow', body.mediaSettings?.callback?.liveVoiceFlow);
  add('flow', 'mediaSettings.callback.answeringMachineFlow', body.mediaSettings?.callback?.answeringMachineFlow);
  for (const group of body.memberGroups ?? []) add('member-group', 'memberGroups', group);
  for (const rule of body.conditionalGroupRouting?.rules ?? []) {
    add('queue', 'conditionalGroupRouting.rules.queue', rule.queue);
    for (const group of rule.groups ?? []) add('member-group', 'conditionalGroupRouting.rules.groups', group);
  }
  const activation = body.conditionalGroupActivation;
  for (const rule of [...(activation?.pilotRule ? [activation.pilotRule] : []), ...(activation?.rules ?? [])]) {
    for (const condition of rule.conditions ?? []) add('queue', 'conditionalGroupActivation.conditions.simpleMetric.queue', condition.simpleMetric?.queue);
  }
  for (const rule of activation?.rules ?? []) for (const group of rule.groups ?? []) add('member-group', 'conditionalGroupActivation.rules.groups', group);
  for (const ring of body.bullseye?.rings ?? []) for (const group of ring.memberGroups ?? []) add('member-group', 'bullseye.rings.memberGroups', group);
  for (const script of Object.values(body.defaultScripts ?? {})) add('script', 'defaultScripts', script);
  return found;
}

/**
 * `POST /routing/queues` and `PUT /routing/queues/{id}`: the queue must land in one of the
 * tenant's divisions, named explicitly (Genesys would put a queue without one in the home
 * division, which no tenant owns), and every object it names must be the tenant's. The tenant's
 * own claims are never trusted: a reference is the tenant's only when the proxy's directories
 * say so, so groups, teams, scripts, flows and prompts, which it cannot place, are refused.
 * A foreign and an unknown reference get the same answer.
 */
export function rewriteQueueWrite(body: QueueWrite, { query, scope, facts }: RequestInput): RequestPlan {
  const division = body.division?.id;
  if (division === undefined) {
    throw new GatewayError('body.invalid', { message: 'division.id is required: name one of the tenant’s divisions.' });
  }
  if (!scope.divisions.has(division)) {
    throw new GatewayError('not.authorized', { message: 'division.id names a division outside the tenant’s divisions.' });
  }
  const check = referenceCheckOf({ scope, facts });
  for (const reference of referencesOf(body)) {
    if (!check.isOwn(reference.target, reference.id)) {
      throw new GatewayError('not.authorized', { message: `${reference.field} names an object that is not one of the tenant’s.` });
    }
  }
  const forwarded: Record<string, unknown> = { ...body, division: { id: division } };
  for (const key of READ_ONLY_KEYS) delete forwarded[key];
  return forward(query, forwarded);
}
