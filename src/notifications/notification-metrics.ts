import { Counter, Gauge, type Registry } from 'prom-client';

/** What the notification multiplexer exports, on the proxy's registry. */
export class NotificationMetrics {
  readonly upstreamChannels: Gauge;
  readonly upstreamTopics: Gauge;
  readonly upstreamChannelLimit: Gauge;
  readonly upstreamTopicLimit: Gauge;
  readonly upstreamReconnects: Counter<'reason'>;
  readonly upstreamRejectedTopics: Counter;
  readonly tenantChannels: Gauge;
  readonly tenantSockets: Gauge;
  readonly eventsDelivered: Counter<'tenant'>;
  readonly eventsDropped: Counter<'reason'>;
  readonly slowConsumers: Counter<'tenant'>;
  readonly topicRefusals: Counter<'tenant' | 'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.upstreamChannels = new Gauge({ name: 'gdp_notification_upstream_channels', help: 'Genesys notification channels this replica holds.', registers });
    this.upstreamTopics = new Gauge({ name: 'gdp_notification_upstream_topics', help: 'Distinct topics this replica has subscribed upstream, over all its channels.', registers });
    this.upstreamChannelLimit = new Gauge({ name: 'gdp_notification_upstream_channel_limit', help: 'Channels this replica may hold (Genesys allows 20 per OAuth client in all).', registers });
    this.upstreamTopicLimit = new Gauge({ name: 'gdp_notification_upstream_topic_limit', help: 'Topics per Genesys channel (Genesys allows 1,000).', registers });
    this.upstreamReconnects = new Counter({ name: 'gdp_notification_upstream_reconnects_total', help: 'Upstream sockets reopened, by reason (socket_closing, drop, silence, expired).', labelNames: ['reason'] as const, registers });
    this.upstreamRejectedTopics = new Counter({ name: 'gdp_notification_upstream_rejected_topics_total', help: 'Topics Genesys refused when the proxy subscribed them.', registers });
    this.tenantChannels = new Gauge({ name: 'gdp_notification_tenant_channels', help: 'Channels tenants have created on this replica.', registers });
    this.tenantSockets = new Gauge({ name: 'gdp_notification_tenant_sockets', help: 'Tenant WebSockets open on this replica.', registers });
    this.eventsDelivered = new Counter({ name: 'gdp_notification_events_delivered_total', help: 'Events sent to tenant sockets, by tenant.', labelNames: ['tenant'] as const, registers });
    this.eventsDropped = new Counter({ name: 'gdp_notification_events_dropped_total', help: 'Events withheld from a tenant socket, by reason (unknown-topic, foreign-entity, unjudgeable-body, foreign-content).', labelNames: ['reason'] as const, registers });
    this.slowConsumers = new Counter({ name: 'gdp_notification_slow_consumer_disconnects_total', help: 'Tenant sockets closed because they did not read fast enough.', labelNames: ['tenant'] as const, registers });
    this.topicRefusals = new Counter({ name: 'gdp_notification_topic_refusals_total', help: 'Topics refused to a tenant, by reason.', labelNames: ['tenant', 'reason'] as const, registers });
  }
}
