import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../clock.js';
import type { OrgDirectory } from '../genesys/org-directory.js';
import type { TenantRegistry } from '../tenants/tenant-registry.js';
import type { NotificationEvent } from '../scoping/notifications/event-scoping.js';
import { NotificationMetrics } from './notification-metrics.js';
import { NOTIFICATION_TIMINGS, NotificationService, type NotificationLimits } from './notification-service.js';
import { acceptTenantSockets } from './socket-endpoint.js';
import { UpstreamChannels, type UpstreamLimits, type UpstreamNotificationsApi } from './upstream-channels.js';

/** The upstream limits that are not settings (channel and topic counts come from NOTIFICATION_UPSTREAM_*). */
export const UPSTREAM_TIMINGS: Omit<UpstreamLimits, 'maxChannels' | 'maxTopicsPerChannel'> = {
  pingIntervalMs: 60_000,
  reconnectDelayMs: 500,
  channelLifetimeMs: 86_400_000,
  renewBeforeMs: 3_600_000,
};

export interface NotificationsOptions {
  readonly api: UpstreamNotificationsApi;
  readonly tenants: () => TenantRegistry;
  readonly directories: { readonly users: OrgDirectory; readonly queues: OrgDirectory };
  readonly registry: Registry;
  readonly logger: Logger;
  /** The settings-backed limits are required; the timings default to NOTIFICATION_TIMINGS. */
  readonly limits: Pick<NotificationLimits, 'channelsPerKey' | 'topicsPerChannel' | 'maxBufferedBytes'> & Partial<NotificationLimits>;
  readonly upstream: Pick<UpstreamLimits, 'maxChannels' | 'maxTopicsPerChannel'> & Partial<UpstreamLimits>;
  readonly clock?: Clock;
}

export interface Notifications {
  readonly service: NotificationService;
  readonly upstream: UpstreamChannels;
  readonly metrics: NotificationMetrics;
  /** Takes tenant WebSocket upgrades on a listening server. */
  acceptSockets(server: Server): void;
  close(): void;
}

/** The notification multiplexer of one replica: its Genesys channels, its tenant channels and sockets. */
export function createNotifications(options: NotificationsOptions): Notifications {
  const clock = options.clock ?? systemClock;
  const now = clock.now;
  const metrics = new NotificationMetrics(options.registry);
  const upstreamLimits = { ...UPSTREAM_TIMINGS, ...options.upstream };
  metrics.upstreamChannelLimit.set(upstreamLimits.maxChannels);
  metrics.upstreamTopicLimit.set(upstreamLimits.maxTopicsPerChannel);
  let service: NotificationService | undefined;
  const upstream = new UpstreamChannels({
    ...upstreamLimits,
    api: options.api,
    logger: options.logger,
    now,
    sleep: clock.sleep,
    onEvent: (event: NotificationEvent) => void service?.deliver(event),
    onReconnect: (reason) => metrics.upstreamReconnects.inc({ reason }),
    onRejectedTopics: (count) => metrics.upstreamRejectedTopics.inc(count),
    onChange: (channels, topics) => {
      metrics.upstreamChannels.set(channels);
      metrics.upstreamTopics.set(topics);
    },
  });
  service = new NotificationService({
    upstream,
    tenants: options.tenants,
    directories: options.directories,
    metrics,
    logger: options.logger,
    limits: { ...NOTIFICATION_TIMINGS, ...options.limits },
    now,
  });
  const closers: (() => void)[] = [];
  return {
    service,
    upstream,
    metrics,
    acceptSockets(server) {
      closers.push(acceptTenantSockets(server, service));
    },
    close() {
      service.close();
      upstream.close();
      for (const close of closers) close();
    },
  };
}
