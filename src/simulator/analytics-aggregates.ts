import { matchesFilter, parseFilter, type AnalyticsFilter, type DimensionValues, type FilterSchema } from './analytics-filter.js';
import { bucketOf, intervalText, parseGranularity, parseInterval, type Interval } from './analytics-interval.js';
import { badRequest, invalidValue } from './errors.js';

export interface AggregateQuery {
  readonly interval: Interval;
  readonly granularityMs: number | undefined;
  readonly groupBy: readonly string[];
  readonly filter: AnalyticsFilter | undefined;
  readonly metrics: readonly string[];
}

/** A row the aggregation counts: its dimension values, when it happened, what it measured. */
export interface AggregateSource {
  readonly at: number;
  readonly values: DimensionValues;
  readonly metrics: readonly { name: string; value: number; qualifier?: string }[];
}

interface Stats {
  count: number;
  sum: number;
  max: number;
  min: number;
}

export function parseAggregateQuery(body: Record<string, unknown>, schema: FilterSchema, metricNames: readonly string[], metricField: string): AggregateQuery {
  const groupBy = body['groupBy'] ?? [];
  if (!Array.isArray(groupBy)) throw badRequest('groupBy must be an array.');
  for (const dimension of groupBy) {
    if (typeof dimension !== 'string' || !schema.dimensions.includes(dimension)) throw invalidValue(String(dimension), schema.fieldType, schema.dimensions);
  }
  const metrics = body['metrics'];
  if (!Array.isArray(metrics) || metrics.length === 0) throw badRequest('metrics must name at least one metric.');
  for (const metric of metrics) {
    if (typeof metric !== 'string' || !metricNames.includes(metric)) throw invalidValue(String(metric), metricField, metricNames);
  }
  return {
    interval: parseInterval(body['interval']),
    granularityMs: parseGranularity(body['granularity']),
    groupBy: groupBy as string[],
    filter: body['filter'] === undefined || body['filter'] === null ? undefined : parseFilter(body['filter'], schema),
    metrics: metrics as string[],
  };
}

/** Every combination of the grouped dimensions' values; a dimension without values is left out of the group. */
function groupsOf(values: DimensionValues, groupBy: readonly string[]): Record<string, string>[] {
  let groups: Record<string, string>[] = [{}];
  for (const dimension of groupBy) {
    const found = values(dimension);
    if (found.length === 0) continue;
    groups = groups.flatMap((group) => found.map((value) => ({ ...group, [dimension]: value })));
  }
  return groups;
}

/** Counts (n*) report `count`; timers (t*) report count, sum, max and min, as Genesys does. */
function statsOut(metric: string, stats: Stats): Record<string, number> {
  if (metric.startsWith('n')) return { count: stats.sum };
  return { max: stats.max, min: stats.min, count: stats.count, sum: stats.sum };
}

export function aggregate(sources: readonly AggregateSource[], query: AggregateQuery): { group: Record<string, string>; data: unknown[] }[] {
  const wanted = new Set(query.metrics);
  const groups = new Map<string, { group: Record<string, string>; buckets: Map<number, { interval: Interval; stats: Map<string, Stats> }> }>();
  for (const source of sources) {
    if (source.at < query.interval.start || source.at >= query.interval.end) continue;
    if (query.filter && !matchesFilter(query.filter, source.values)) continue;
    const interval = bucketOf(source.at, query.interval, query.granularityMs);
    for (const group of groupsOf(source.values, query.groupBy)) {
      const key = JSON.stringify(group);
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { group, buckets: new Map() }));
      let bucket = entry.buckets.get(interval.start);
      if (!bucket) entry.buckets.set(interval.start, (bucket = { interval, stats: new Map() }));
      for (const metric of source.metrics) {
        if (!wanted.has(metric.name)) continue;
        const statsKey = metric.qualifier === undefined ? metric.name : `${metric.name}\u0000${metric.qualifier}`;
        const stats = bucket.stats.get(statsKey) ?? { count: 0, sum: 0, max: -Infinity, min: Infinity };
        stats.count += 1;
        stats.sum += metric.value;
        stats.max = Math.max(stats.max, metric.value);
        stats.min = Math.min(stats.min, metric.value);
        bucket.stats.set(statsKey, stats);
      }
    }
  }
  return [...groups.values()]
    .map(({ group, buckets }) => ({
      group,
      data: [...buckets.values()]
        .filter((bucket) => bucket.stats.size > 0)
        .sort((a, b) => a.interval.start - b.interval.start)
        .map((bucket) => ({
          interval: intervalText(bucket.interval),
          metrics: [...bucket.stats.entries()]
            .sort(([a], [b]) => query.metrics.indexOf(a.split('\u0000', 1)[0]!) - query.metrics.indexOf(b.split('\u0000', 1)[0]!))
            .map(([key, stats]) => {
            const [metric, qualifier] = key.split('\u0000') as [string, string | undefined];
            return { metric, ...(qualifier === undefined ? {} : { qualifier }), stats: statsOut(metric, stats) };
          }),
        })),
    }))
    .filter((result) => result.data.length > 0);
}
