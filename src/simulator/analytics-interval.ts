import { badRequest } from './errors.js';

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const intervalText = (interval: Interval): string => `${iso(interval.start)}/${iso(interval.end)}`;

/** `start/end` in ISO-8601; Genesys rejects a missing or reversed interval. */
export function parseInterval(input: unknown): Interval {
  if (typeof input !== 'string' || !input.includes('/')) throw badRequest('interval is required, as ISO-8601 start/end.');
  const [startText, endText] = input.split('/', 2) as [string, string];
  const start = Date.parse(startText);
  const end = Date.parse(endText);
  if (Number.isNaN(start) || Number.isNaN(end)) throw badRequest(`The interval [${input}] is not a valid ISO-8601 start/end interval.`);
  if (end <= start) throw badRequest(`The interval [${input}] ends before it starts.`);
  return { start, end };
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** ISO-8601 periods such as PT30M, PT1H, P1D, P1W, in milliseconds. */
export function parseGranularity(input: unknown): number | undefined {
  if (input === undefined || input === null) return undefined;
  const match = typeof input === 'string' ? DURATION.exec(input) : null;
  const [weeks, days, hours, minutes, seconds] = (match?.slice(1) ?? []).map((part) => Number(part ?? 0));
  const ms = ((((weeks ?? 0) * 7 + (days ?? 0)) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60_000 + (seconds ?? 0) * 1000;
  if (!match || ms <= 0) throw badRequest(`The granularity [${String(input)}] is not a valid ISO-8601 period.`);
  return ms;
}

/** The granularity bucket a moment falls in, clipped to the query interval. */
export function bucketOf(at: number, interval: Interval, granularityMs: number | undefined): Interval {
  if (granularityMs === undefined) return interval;
  const start = interval.start + Math.floor((at - interval.start) / granularityMs) * granularityMs;
  return { start, end: Math.min(start + granularityMs, interval.end) };
}
