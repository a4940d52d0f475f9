import { bool, drop, map, num, object, objects, ref, refId, refs, shape, text, texts, type Shape } from './field-rule.js';

/**
 * What a tenant sees of each entity the proxy returns, field by field, taken from the Genesys
 * models (SDK 262: Queue, QueueMember, User, AuthzDivision, WrapupCode and the models they nest).
 * Every other key is dropped. This table grows only by a reviewed change: a field added here is
 * shown to every tenant, so say what it names and how that is checked.
 */

const divisionRef = shape({ id: text, name: text, selfUri: text });
/** The entity's own division: the entity is the tenant's only when this is. */
const ownDivision = ref('division', divisionRef, 'withhold');
const entityRef = shape({ id: text, name: text, selfUri: text });
const serviceLevel = object(shape({ percentage: num, durationMs: num }));

const mediaSetting = {
  enableAutoAnswer: bool,
  alertingTimeoutSeconds: num,
  serviceLevel,
  autoAnswerAlertToneSeconds: num,
  manualAnswerAlertToneSeconds: num,
};

/** `MemberGroup`: a group, team or skill group; its `memberCount` counts members of every division. */
const memberGroup = shape({
  id: text,
  name: text,
  type: text,
  division: object(divisionRef),
  selfUri: text,
  memberCount: drop('counts members of every division'),
});
const memberGroups = refs('member-group', memberGroup);

const groupActivationCondition = objects(
  shape({ simpleMetric: object(shape({ metric: text, queue: ref('queue', entityRef) })), operator: text, value: num }),
);

const routingStatus = object(shape({ userId: refId('user'), status: text, startTime: text }));
const presence = object(
  shape({
    source: text,
    primary: bool,
    presenceDefinition: object(shape({ id: text, systemPresence: text })),
    message: text,
    modifiedDate: text,
  }),
);

/** What every division-bearing configuration object (queue, wrap-up code) starts with. */
const ownedObject = {
  id: text,
  name: text,
  division: ownDivision,
  description: text,
  dateCreated: text,
  dateModified: text,
  modifiedBy: refId('user'),
  createdBy: refId('user'),
};

export const queueFields: Shape = shape({
  ...ownedObject,
  memberCount: drop('counts members of every division; the members listing shows the tenant’s'),
  userMemberCount: drop('counts members of every division'),
  joinedMemberCount: drop('counts members of every division'),
  mediaSettings: object(
    shape({
      call: object(shape(mediaSetting)),
      callback: object(
        shape({
          ...mediaSetting,
          mode: text,
          enableAutoDialAndEnd: bool,
          autoDialDelaySeconds: num,
          autoEndDelaySeconds: num,
          pacingModifier: num,
          maxRetryCount: num,
          retryDelaySeconds: num,
          liveVoiceReactionType: text,
          liveVoiceFlow: ref('flow', entityRef),
          answeringMachineReactionType: text,
          answeringMachineFlow: ref('flow', entityRef),
        }),
      ),
      chat: object(shape(mediaSetting)),
      email: object(shape(mediaSetting)),
      message: object(shape({ ...mediaSetting, enableInactivityTimeout: bool })),
    }),
  ),
  routingRules: objects(shape({ operator: text, threshold: num, waitSeconds: num })),
  conditionalGroupRouting: object(
    shape({
      rules: objects(
        shape({ queue: ref('queue', entityRef), metric: text, operator: text, conditionValue: num, groups: memberGroups, waitSeconds: num }),
      ),
    }),
    true,
  ),
  conditionalGroupActivation: object(
    shape({
      pilotRule: object(shape({ conditions: groupActivationCondition, conditionExpression: text })),
      rules: objects(shape({ conditions: groupActivationCondition, conditionExpression: text, groups: memberGroups })),
    }),
    true,
  ),
  bullseye: object(
    shape({
      rings: objects(
        shape({
          expansionCriteria: objects(shape({ type: text, threshold: num })),
          actions: object(shape({ skillsToRemove: objects(shape({ id: text, name: text, selfUri: text })) })),
          memberGroups,
        }),
      ),
    }),
    true,
  ),
  scoringMethod: text,
  lastAgentRoutingMode: text,
  acwSettings: object(shape({ wrapupPrompt: text, timeoutMs: num })),
  skillEvaluationMethod: text,
  memberGroups,
  queueFlow: ref('flow', entityRef),
  emailInQueueFlow: ref('flow', entityRef),
  messageInQueueFlow: ref('flow', entityRef),
  whisperPrompt: ref('prompt', entityRef),
  onHoldPrompt: ref('prompt', entityRef),
  defaultMediaLanguage: text,
  autoAnswerOnly: bool,
  cannedResponseLibraries: drop('library ids the proxy cannot place in a division'),
  enableTranscription: bool,
  enableAudioMonitoring: bool,
  enableManualAssignment: bool,
  agentOwnedRouting: object(shape({ enableAgentOwnedCallbacks: bool, maxOwnedCallbackHours: num, maxOwnedCallbackDelayHours: num })),
  directRouting: object(
    shape({
      callMediaSettings: object(shape({ useAgentAddressOutbound: bool })),
      emailMediaSettings: object(shape({ useAgentAddressOutbound: bool })),
      messageMediaSettings: object(shape({ useAgentAddressOutbound: bool })),
      backupQueueId: refId('queue'),
      waitForAgent: bool,
      agentWaitSeconds: num,
    }),
  ),
  callingPartyName: text,
  callingPartyNumber: text,
  defaultScripts: map(ref('script', shape({ id: text, name: text, division: object(divisionRef), selfUri: text }))),
  outboundMessagingAddresses: object(
    shape({
      smsAddress: ref('messaging-address', entityRef),
      openMessagingRecipient: ref('messaging-address', entityRef),
      whatsAppRecipient: ref('messaging-address', entityRef),
    }),
  ),
  outboundEmailAddress: ref('email-address', shape({ domain: object(entityRef), route: object(entityRef) })),
  peerId: drop('names a queue of another organisation'),
  suppressInQueueCallRecording: bool,
  selfUri: text,
});

/** `/routing/queues/divisionviews`: Genesys's "simplified queue objects", kept that simple. */
export const queueViewFields: Shape = shape({ id: text, name: text, division: ownDivision, selfUri: text });

export const userFields: Shape = shape({
  id: text,
  name: text,
  division: ownDivision,
  chat: object(shape({ jabberId: text })),
  department: text,
  email: text,
  primaryContactInfo: objects(shape({ address: text, display: text, mediaType: text, type: text, extension: text, countryCode: text })),
  addresses: objects(shape({ address: text, display: text, mediaType: text, type: text, extension: text, countryCode: text })),
  state: text,
  title: text,
  username: text,
  manager: ref('user', shape({ id: text, name: text, selfUri: text })),
  images: objects(shape({ resolution: text, imageUri: text })),
  version: num,
  certifications: texts,
  employerInfo: object(shape({ officialName: text, employeeId: text, employeeType: text, dateHire: text })),
  preferredName: text,
  routingStatus,
  presence,
  integrationPresence: presence,
  conversationSummary: drop('counts conversations of every division'),
  outOfOffice: drop('names the user who set it'),
  station: drop('stations are shared across divisions and name their current user'),
  authorization: drop('roles and grants name divisions'),
  profileSkills: texts,
  locations: refs('location', shape({ id: text })),
  groups: refs('group', entityRef),
  team: ref('team', shape({ id: text, name: text, division: object(divisionRef), selfUri: text })),
  skills: objects(shape({ id: text, name: text, proficiency: num, state: text, selfUri: text })),
  languages: objects(shape({ id: text, name: text, proficiency: num, state: text, selfUri: text })),
  acdAutoAnswer: bool,
  languagePreference: text,
  lastTokenIssued: drop('says when a credential was last used'),
  dateLastLogin: text,
  selfUri: text,
});

/** A member is the tenant's when its user is (`filters/queues.ts` checks `id` when no `user` is embedded). */
export const queueMemberFields: Shape = shape({
  id: text,
  name: text,
  user: ref('user', userFields, 'withhold'),
  ringNumber: num,
  joined: bool,
  memberBy: text,
  routingStatus,
  selfUri: text,
});

export const divisionFields: Shape = shape({
  id: refId('division', 'withhold'),
  name: text,
  description: text,
  homeDivision: bool,
  objectCounts: map(num),
  selfUri: text,
});

export const wrapupCodeFields: Shape = shape({ ...ownedObject, selfUri: text });

/** The entity kinds the proxy returns. */
export const entityFields = new Map<EntityKind, Shape>([
  ['queue', queueFields],
  ['queue view', queueViewFields],
  ['queue member', queueMemberFields],
  ['user', userFields],
  ['division', divisionFields],
  ['wrap-up code', wrapupCodeFields],
]);

export type EntityKind = 'queue' | 'queue view' | 'queue member' | 'user' | 'division' | 'wrap-up code';

/**
 * The envelopes around them. The proxy builds every envelope itself (see `filters/listing.ts`):
 * these are the keys it writes, all computed from the tenant's own items.
 */
export const listingFields: readonly string[] = ['entities', 'pageSize', 'pageNumber', 'total', 'pageCount', 'firstUri', 'selfUri', 'nextUri', 'previousUri', 'lastUri'];
export const openListingFields: readonly string[] = ['entities', 'pageSize', 'pageNumber', 'firstUri', 'selfUri', 'nextUri', 'previousUri'];
