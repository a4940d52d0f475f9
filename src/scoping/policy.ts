import { compileQuerySpec, type CompiledQuerySpec } from './query.js';
import { compileRoutePattern, type RoutePattern } from './route-pattern.js';
import type { RouteRule } from './route-rule.js';

export interface CompiledRoute {
  readonly rule: RouteRule;
  readonly pattern: RoutePattern;
  readonly query: CompiledQuerySpec;
}

export interface RouteMatch {
  readonly route: CompiledRoute;
  readonly params: Readonly<Record<string, string>>;
}

export interface Policy {
  readonly routes: readonly CompiledRoute[];
  match(method: string, path: string): RouteMatch | undefined;
}

/** Compiles the table once at start: patterns, query allowlists and a per-method index. */
export function compilePolicy(table: readonly RouteRule[]): Policy {
  const routes = table.map((rule) => ({ rule, pattern: compileRoutePattern(rule.path), query: compileQuerySpec(rule.query) }));
  const byMethod = new Map<string, CompiledRoute[]>();
  for (const route of routes) {
    const list = byMethod.get(route.rule.method) ?? [];
    list.push(route);
    byMethod.set(route.rule.method, list);
  }
  return {
    routes,
    match(method, path) {
      for (const route of byMethod.get(method) ?? []) {
        const params = route.pattern.match(path);
        if (params) return { route, params };
      }
      return undefined;
    },
  };
}
