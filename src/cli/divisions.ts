import { pino } from 'pino';
import { loadSettings } from '../config/settings.js';
import { connectToGenesys } from '../genesys/genesys-connection.js';
import { upstreamFailure } from '../genesys/upstream-errors.js';
import { GatewayError } from '../errors.js';
import { diagnoseLogin } from './login-diagnosis.js';
import { type CliCommand, UsageError } from './io.js';

interface DivisionRow {
  id: string;
  name: string;
  homeDivision?: boolean;
  objectCounts?: Record<string, number>;
}

const MAX_PAGES = 100;

export const divisionsCommand: CliCommand = {
  name: 'divisions',
  summary: 'list the org’s divisions (id, name, object counts) from Genesys',
  usage: `Usage: genesys-division-proxy divisions

Lists every division of the org with its id, name and object counts, using the proxy's own
Genesys settings (GENESYS_REGION or GENESYS_API_URL/GENESYS_LOGIN_URL, GENESYS_CLIENT_ID,
GENESYS_CLIENT_SECRET), to help write a tenant file.`,
  async run(args, io) {
    if (args.length > 0) throw new UsageError('divisions takes no arguments');
    const settings = loadSettings(io.env);
    const { client, close } = connectToGenesys(settings, { logger: pino({ level: 'silent' }) });
    try {
      const divisions: DivisionRow[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const response = await client.send({
          method: 'GET',
          pathAndQuery: `/api/v2/authorization/divisions?pageSize=100&pageNumber=${page}&objectCount=true`,
          correlationId: `cli-divisions-${page}`,
        });
        if (response.status !== 200) throw upstreamFailure(response.status, response.body, response.headers);
        const listing = JSON.parse(response.body.toString('utf8')) as { entities?: DivisionRow[]; nextUri?: string };
        divisions.push(...(listing.entities ?? []));
        if (!listing.nextUri) break;
      }
      for (const division of divisions) {
        const counts = Object.entries(division.objectCounts ?? {})
          .map(([type, count]) => `${type.toLowerCase()} ${count}`)
          .join(', ');
        io.out(`${division.id}  ${division.name}${division.homeDivision ? ' (home)' : ''}${counts ? `  [${counts}]` : ''}\n`);
      }
      return 0;
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'genesys.token.unavailable') throw error;
      io.err(`could not obtain a Genesys Cloud access token: ${(await diagnoseLogin(settings)) ?? 'the login failed, then worked when tried again; run the command again'}\n`);
      return 1;
    } finally {
      await close();
    }
  },
};
