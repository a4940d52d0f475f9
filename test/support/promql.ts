/** Just enough PromQL reading to check that dashboards and alerts name metrics that exist. */

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
const METRIC = /\bgdp_[a-zA-Z0-9_]*\b/g;
const SELECTOR = /\b(gdp_[a-zA-Z0-9_]*)\s*\{([^}]*)\}/g;
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g;

/** The gdp_ metric names an expression reads (after removing quoted strings, so label values do not count). */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.replace(STRING, '""').match(METRIC) ?? [])];
}

/** Label names used in selectors, per metric, and in by/without clauses. */
export function labelsIn(expr: string): { selectors: { metric: string; labels: string[] }[]; grouping: string[] } {
  const bare = expr.replace(STRING, '""');
  const selectors = [...bare.matchAll(SELECTOR)].map((match) => ({
    metric: match[1]!,
    labels: match[2]!
      .split(',')
      .map((part) => part.trim().split(/\s*(?:=~|!~|!=|=)\s*/)[0]!)
      .filter(Boolean),
  }));
  const grouping = [...bare.matchAll(GROUPING)].flatMap((match) => match[1]!.split(',').map((label) => label.trim()).filter(Boolean));
  return { selectors, grouping };
}

/** Every `expr` string anywhere in a parsed JSON or YAML document. */
export function expressionsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'expr' && typeof inner === 'string' ? [inner] : expressionsIn(inner)));
}

/** Metric name → type, from the `# TYPE` lines of Prometheus text. */
export function exportedMetrics(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
}

/** The exported family a sample name belongs to (`x_bucket` of histogram `x` is `x`). */
export function familyOf(name: string, exported: ReadonlyMap<string, string>): string | undefined {
  if (exported.has(name)) return name;
  const suffix = /_(bucket|sum|count)$/.exec(name);
  if (!suffix) return undefined;
  const base = name.slice(0, -suffix[0].length);
  const type = exported.get(base);
  return type === 'histogram' || (type === 'summary' && suffix[1] !== 'bucket') ? base : undefined;
}
