import { GatewayError } from '../../errors.js';
import { isRecord, UnexpectedShapeError } from '../scope.js';

/**
 * Folds aggregate results of finer groups (one per own queue) into the tenant's groups. Only
 * statistics whose merge is exact are merged; any other statistic Genesys sends is dropped, and
 * one that cannot be merged exactly refuses the query when a merge is needed.
 */

export type Stats = Record<string, number>;
export interface MetricEntry {
  readonly metric: string;
  readonly qualifier?: string;
  readonly stats: Stats;
}
export interface DataEntry {
  readonly interval: string;
  readonly metrics: MetricEntry[];
}
export interface GroupResult {
  readonly group: Record<string, string>;
  readonly data: DataEntry[];
}

const ADDED = ['count', 'sum', 'countNegative', 'countPositive', 'numerator', 'denominator'] as const;
/** Exact for one group, meaningless summed over several: a merge that needs one is refused. */
export const UNMERGEABLE_STATS = ['p95', 'p99', 'target', 'current', 'calculatedMetricValue'] as const;
const KNOWN_STATS = new Set<string>([...ADDED, 'min', 'max', 'ratio', ...UNMERGEABLE_STATS]);

/** Reads one upstream `{metric, qualifier?, stats}` entry, keeping only the fields and statistics the proxy knows. */
export function readMetricEntry(value: unknown): MetricEntry {
  if (!isRecord(value) || typeof value['metric'] !== 'string' || !isRecord(value['stats'])) throw new UnexpectedShapeError('an aggregate metric without a name or stats');
  const stats: Stats = {};
  for (const [key, stat] of Object.entries(value['stats'])) {
    if (!KNOWN_STATS.has(key)) continue;
    if (typeof stat !== 'number' || !Number.isFinite(stat)) throw new UnexpectedShapeError('a statistic that is not a number');
    stats[key] = stat;
  }
  const qualifier = value['qualifier'];
  if (qualifier !== undefined && typeof qualifier !== 'string') throw new UnexpectedShapeError('a qualifier that is not a string');
  return { metric: value['metric'], ...(qualifier !== undefined ? { qualifier } : {}), stats };
}

export function readDataEntries(value: unknown): DataEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UnexpectedShapeError('aggregate data that is not an array');
  return value.map((entry) => {
    if (!isRecord(entry) || typeof entry['interval'] !== 'string') throw new UnexpectedShapeError('aggregate data without an interval');
    const metrics = entry['metrics'] ?? [];
    if (!Array.isArray(metrics)) throw new UnexpectedShapeError('aggregate metrics that are not an array');
    return { interval: entry['interval'], metrics: metrics.map(readMetricEntry) };
  });
}

/** Which statistic of the entry, if any, cannot be merged exactly. */
function unmergeable(stats: Stats): string | undefined {
  const found = UNMERGEABLE_STATS.find((stat) => stats[stat] !== undefined);
  if (found) return found;
  if (stats['ratio'] !== undefined && (stats['numerator'] === undefined || stats['denominator'] === undefined)) return 'ratio';
  return undefined;
}

function mergeStats(into: Stats, from: Stats): void {
  for (const key of ADDED) if (from[key] !== undefined) into[key] = (into[key] ?? 0) + from[key];
  if (from['min'] !== undefined) into['min'] = into['min'] === undefined ? from['min'] : Math.min(into['min'], from['min']);
  if (from['max'] !== undefined) into['max'] = into['max'] === undefined ? from['max'] : Math.max(into['max'], from['max']);
  if (into['numerator'] !== undefined && into['denominator'] !== undefined && into['ratio'] !== undefined) {
    into['ratio'] = into['denominator'] === 0 ? 0 : into['numerator'] / into['denominator'];
  }
}

/** Sorts keys so that equal groups and statistics serialise alike, whatever order they came in. */
const canonical = (record: Readonly<Record<string, string | number>>): string => JSON.stringify(Object.keys(record).sort().map((key) => [key, record[key]]));

/**
 * Merges finer results into the groups `target` maps them to (undefined: the result is dropped).
 * With `merging` false every target group receives at most one result and nothing is refused.
 * The answer is ordered by group, interval, the tenant's metric order and qualifier, so it does
 * not depend on the order Genesys answered in, nor on which chunk a queue was asked in.
 */
export function mergeGroups(results: readonly GroupResult[], target: (group: Record<string, string>) => Record<string, string> | undefined, merging: boolean, metricOrder: readonly string[]): GroupResult[] {
  const groups = new Map<string, { group: Record<string, string>; intervals: Map<string, Map<string, MetricEntry & { stats: Stats }>> }>();
  for (const result of results) {
    const group = target(result.group);
    if (!group) continue;
    const groupKey = canonical(group);
    let merged = groups.get(groupKey);
    if (!merged) groups.set(groupKey, (merged = { group, intervals: new Map() }));
    for (const entry of result.data) {
      let metrics = merged.intervals.get(entry.interval);
      if (!metrics) merged.intervals.set(entry.interval, (metrics = new Map()));
      for (const metric of entry.metrics) {
        if (merging) {
          const refused = unmergeable(metric.stats);
          if (refused) {
            throw new GatewayError('body.invalid', {
              message: `The metric ${metric.metric} (${refused}) cannot be combined exactly over the tenant’s queues; group the query by queueId.`,
            });
          }
        }
        const key = `${metric.metric}\u0000${metric.qualifier ?? ''}`;
        const existing = metrics.get(key);
        if (existing) mergeStats(existing.stats, metric.stats);
        else metrics.set(key, { ...metric, stats: { ...metric.stats } });
      }
    }
  }
  const rank = (metric: string) => {
    const index = metricOrder.indexOf(metric);
    return index === -1 ? metricOrder.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { group, intervals }]) => ({
      group,
      data: [...intervals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([interval, metrics]) => ({
          interval,
          metrics: [...metrics.values()]
            .sort((a, b) => rank(a.metric) - rank(b.metric) || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) || ((a.qualifier ?? '') < (b.qualifier ?? '') ? -1 : 1))
            .map((metric) => ({ ...metric, stats: Object.fromEntries(Object.keys(metric.stats).sort().map((key) => [key, metric.stats[key]!])) })),
        }))
        .filter((entry) => entry.metrics.length > 0),
    }))
    .filter((result) => result.data.length > 0);
}
