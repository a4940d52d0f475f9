import { GatewayError } from '../errors.js';
import { CHANNEL, CHANNELS, SUBSCRIPTIONS } from '../scoping/notifications/rows.js';
import type { QueryValues } from '../scoping/query.js';
import type { Caller, NotificationService, Origin } from './notification-service.js';

/** One tenant request to a notification row, already authenticated and matched. */
export interface NotificationRequest {
  readonly method: string;
  /** The policy row's path template. */
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryValues;
  readonly body: unknown;
  readonly caller: Caller;
  readonly origin: Origin;
}

export interface NotificationAnswer {
  readonly status: number;
  /** Undefined: status only. */
  readonly body?: unknown;
}


/** Answers the rows the proxy serves itself: nothing here is forwarded to Genesys as the tenant sent it. */
export async function answerNotificationRequest(service: NotificationService, request: NotificationRequest): Promise<NotificationAnswer> {
  const { caller, origin } = request;
  const id = request.params['channelId'] ?? '';
  switch (`${request.method} ${request.route}`) {
    case `POST ${CHANNELS}`:
      return { status: 200, body: service.createChannel(caller, origin) };
    case `GET ${CHANNELS}`:
      return { status: 200, body: service.listChannels(caller, origin) };
    case `HEAD ${CHANNEL}`:
      if (!service.hasChannel(caller, id)) throw new GatewayError('not.found');
      return { status: 200 };
    case `GET ${SUBSCRIPTIONS}`:
      return { status: 200, body: service.subscriptions(caller, id) };
    case `POST ${SUBSCRIPTIONS}`:
    case `PUT ${SUBSCRIPTIONS}`:
      return { status: 200, body: await service.subscribe(caller, id, request.body, { replace: request.method === 'PUT', ignoreErrors: ignoreErrors(request.query) }) };
    case `DELETE ${SUBSCRIPTIONS}`:
      await service.unsubscribeAll(caller, id);
      return { status: 204 };
    default:
      throw new Error(`no notification handler for ${request.method} ${request.route}`);
  }
}

function ignoreErrors(query: QueryValues): boolean {
  const value = query.get('ignoreErrors')?.[0];
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new GatewayError('query.invalid', { message: 'The query parameter "ignoreErrors" must be true or false.' });
  return value === 'true';
}
