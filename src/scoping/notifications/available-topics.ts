import { isRecord, UnexpectedShapeError, type ResponseContext, type ScopedResponse } from '../scope.js';
import { project, type Shape } from '../agent-state/projection.js';
import { SUPPORTED_TOPICS } from './topics.js';

const supported = new Set(SUPPORTED_TOPICS);

const availableTopic: Shape = {
  id: 'scalar',
  description: 'scalar',
  requiresPermissions: ['scalar'],
  permissionDetails: [{ type: 'scalar', permissions: ['scalar'], allowsCurrentUser: 'scalar', enforced: 'scalar' }],
  requiresDivisionPermissions: 'scalar',
  requiresAnyValidator: 'scalar',
  enforced: 'scalar',
  visibility: 'scalar',
  requiresCurrentUser: 'scalar',
  requiresCurrentUserOrPermission: 'scalar',
  transports: ['scalar'],
  publicApiTemplateUriPaths: ['scalar'],
  topicParameters: ['scalar'],
};

/**
 * `GET /notifications/availabletopics`: Genesys's catalogue, cut to the topics the proxy serves.
 * The catalogue is the same for the whole org and names no entity; `schema` is left out (a JSON
 * schema the proxy would pass unread).
 */
export function scopeAvailableTopics(body: unknown, _context: ResponseContext): ScopedResponse {
  if (!isRecord(body) || !Array.isArray(body['entities'])) throw new UnexpectedShapeError('a topic catalogue without entities');
  const entities = body['entities'] as unknown[];
  const kept = entities.filter((topic) => isRecord(topic) && typeof topic['id'] === 'string' && supported.has(topic['id']));
  return { kind: 'ok', body: { entities: kept.map((topic) => project(topic, availableTopic)) }, kept: kept.length, removed: entities.length - kept.length };
}
