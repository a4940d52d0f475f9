import { Router } from 'express';
import { ORG_PRESENCES } from './agent-state.js';
import type { SimulatorContext } from './context.js';
import { entityListing, pageRequest } from './listing.js';
import { divisionId, userId } from './seed-ids.js';
import { QueryParams } from './query.js';
import { sendJson } from './respond.js';

interface PresenceDefinition {
  readonly id: string;
  readonly name: string;
  readonly systemPresence: string;
  readonly type: 'System' | 'User';
  readonly divisionId?: string;
  readonly deactivated: boolean;
}

const label = (name: string) => name.charAt(0) + name.slice(1).toLowerCase().replace('_', ' ');

/**
 * The org's presence definitions: one per system presence, org-wide, plus custom ones two BPOs
 * keep in their own division (which only they should see) and a deactivated one.
 */
export function presenceDefinitions(): PresenceDefinition[] {
  const system = Object.entries(ORG_PRESENCES).map(([presence, id]) => ({ id, name: label(presence), systemPresence: presence, type: 'System' as const, deactivated: false }));
  return [
    ...system,
    { id: '90000000-0000-4000-8000-000000000101', name: 'Acme coaching', systemPresence: 'BUSY', type: 'User', divisionId: divisionId(1), deactivated: false },
    { id: '90000000-0000-4000-8000-000000000103', name: 'Globex huddle', systemPresence: 'AWAY', type: 'User', divisionId: divisionId(3), deactivated: false },
    { id: '90000000-0000-4000-8000-000000000199', name: 'Old lunch', systemPresence: 'MEAL', type: 'User', deactivated: true },
  ];
}

const selfUri = (id: string) => `/api/v2/presence/definitions/${id}`;

/** `GET /presence/definitions` and the deprecated `GET /presencedefinitions`. */
export function presenceRoutes({ options }: SimulatorContext): Router {
  const router = Router();
  const all = presenceDefinitions();

  router.get('/presence/definitions', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(['deactivated', 'divisionId', 'localeCode'], options.rejectUnknownQueryParams);
    const deactivated = query.get('deactivated')?.toLowerCase() === 'true';
    const divisions = new Set(query.list('divisionId'));
    const entities = all
      .filter((definition) => definition.deactivated === deactivated)
      .filter((definition) => divisions.size === 0 || (definition.divisionId !== undefined && divisions.has(definition.divisionId)))
      .map((definition) => ({ ...definition, languageLabels: { en_US: definition.name }, selfUri: selfUri(definition.id) }));
    sendJson(res, 200, { total: entities.length, entities, selfUri: '/api/v2/presence/definitions' });
  });

  router.get('/presencedefinitions', (req, res) => {
    const query = QueryParams.of(req);
    query.assertKnown(['pageNumber', 'pageSize', 'deleted', 'localeCode'], options.rejectUnknownQueryParams);
    const deleted = (query.get('deleted') ?? 'false').toLowerCase();
    const entities = all
      .filter((definition) => deleted === 'all' || definition.deactivated === (deleted === 'true'))
      .map(({ id, name, systemPresence, deactivated }) => ({
        id,
        name,
        languageLabels: { en_US: name },
        systemPresence,
        deactivated,
        primary: true,
        createdBy: { id: userId(3, 1), selfUri: `/api/v2/users/${userId(3, 1)}` },
        selfUri: `/api/v2/presencedefinitions/${id}`,
      }));
    sendJson(res, 200, entityListing(entities, pageRequest(query, options.maxPageSize), '/api/v2/presencedefinitions', query));
  });

  return router;
}
