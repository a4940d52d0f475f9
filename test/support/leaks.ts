/** Seeded ids carry their division in the first group (see src/simulator/seed-ids.ts). */
const DIVISION_COUNT = 5;

/**
 * Matches any seeded queue, user, conversation or division id of a division outside `own`, so a
 * leak shows up in raw response text without knowing the response's shape.
 */
export function foreignIdPattern(own: readonly number[]): RegExp {
  const foreign = Array.from({ length: DIVISION_COUNT }, (_, k) => k).filter((k) => !own.includes(k));
  const hex = (k: number) => k.toString(16);
  const owned = `[abc]000000(?:${foreign.map(hex).join('|')})-0000-4000-8000-`;
  const division = `d0000000-0000-4000-8000-00000000000(?:${foreign.map(hex).join('|')})`;
  return new RegExp(`${owned}|${division}`);
}

export const divisionIndexesOf = { acme: [1, 2], globex: [3] } as const;

export type TestTenant = keyof typeof divisionIndexesOf;

/** The one org shape the oracle needs; the simulator's SeededOrg has it. */
export interface OwnerLookup {
  ownerDivisionsOf(id: string): string[];
  readonly wrapupCodes: readonly { readonly id: string }[];
}

export interface LeakScanOptions {
  /** Wrap-up codes live in the shared Home division, so their listing may name it. */
  readonly mayNameHome?: boolean;
  /**
   * The request target. Paging links are rebuilt from the tenant's own query, so a link that names
   * nothing but the tenant's own path and query values echoes the request and shows nothing new;
   * a link carrying anything else (the proxy's injected filters, say) is scanned like the rest.
   */
  readonly request?: string;
  /**
   * What the tenant sent, for error answers only: their one piece of content is a message, which
   * may quote a value of the request (Genesys's "Value [x] is not valid"). An id the tenant itself
   * sent shows it nothing new; any other id in the message still counts.
   */
  readonly echoes?: string;
}

const LINK_FIELD = /"(?:firstUri|selfUri|nextUri|previousUri|lastUri)":"([^"\\]*)"/g;

function echoesRequest(link: string, request: string): boolean {
  try {
    const asked = new URL(request, 'http://tenant.invalid');
    const linked = new URL(link, 'http://tenant.invalid');
    if (linked.pathname !== asked.pathname) return false;
    const askedValues = new Set<string>();
    for (const [name, value] of asked.searchParams) {
      askedValues.add(`${name}=${value}`);
      for (const part of value.split(',')) askedValues.add(`${name}=${part.trim()}`);
    }
    for (const [name, value] of linked.searchParams) {
      if (name !== 'pageSize' && name !== 'pageNumber' && !askedValues.has(`${name}=${value}`)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const ANY_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const OWNED_ID = /^[abc]([0-9a-f]{7})-0000-4000-8000-[0-9a-f]{12}$/;
const DIVISION_ID = /^d0000000-0000-4000-8000-([0-9a-f]{12})$/;
const seededDivisionId = (k: number) => `d0000000-0000-4000-8000-${k.toString(16).padStart(12, '0')}`;

/**
 * Every id in `text` that belongs, wholly or in part, to a division outside `own`: read from the
 * seed's id encoding, and (with `org`) from the org itself, which also knows the divisions of
 * conversations that span two tenants and of queues created or moved since the seed. Wrap-up
 * codes are shared objects and never count; Home counts as foreign unless `mayNameHome`.
 */
export function foreignIdsIn(text: string, own: readonly number[], org?: OwnerLookup, options: LeakScanOptions = {}): string[] {
  const ownIndexes = new Set(options.mayNameHome ? [0, ...own] : own);
  const ownDivisions = new Set([...ownIndexes].map(seededDivisionId));
  const shared = new Set(org?.wrapupCodes.map((code) => code.id) ?? []);
  const found = new Set<string>();
  const echoed = new Set([...(options.echoes ?? '').matchAll(ANY_UUID)].map((match) => match[0].toLowerCase()));
  const request = options.request;
  const scanned = request === undefined ? text : text.replace(LINK_FIELD, (whole, link: string) => (echoesRequest(link, request) ? '' : whole));
  for (const match of scanned.matchAll(ANY_UUID)) {
    const id = match[0].toLowerCase();
    if (shared.has(id) || echoed.has(id)) continue;
    const encoded = OWNED_ID.exec(id)?.[1] ?? DIVISION_ID.exec(id)?.[1];
    if (encoded !== undefined && !ownIndexes.has(parseInt(encoded, 16))) found.add(match[0]);
    if (org && org.ownerDivisionsOf(id).some((division) => !ownDivisions.has(division))) found.add(match[0]);
  }
  return [...found];
}

/**
 * The leak oracle: fails with the route and the request when `raw` (response head and body, as
 * the tenant received them) names anything of a division that is not the tenant's.
 */
export function expectNoLeak(tenant: TestTenant, raw: string, request: string, org?: OwnerLookup, options: LeakScanOptions = {}): void {
  const leaked = foreignIdsIn(raw, divisionIndexesOf[tenant], org, options);
  if (leaked.length > 0) {
    throw new Error(`leak: ${request} showed ${tenant} ${leaked.length} id(s) of other divisions: ${leaked.slice(0, 5).join(', ')}\n${raw.slice(0, 600)}`);
  }
}
