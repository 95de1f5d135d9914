// Hash routes of the UI (#/assets/sim%2Fmesh): they survive any static file server and keep
// asset keys with '/' or '.' in one segment.

/** A page and its parameters. */
export type Route =
  | {
      readonly page: 'graph';
      readonly select?: string;
      readonly query?: string;
      /** The whole view (lineage/src/graph/graph-url.ts). */
      readonly search?: string;
    }
  | { readonly page: 'asset'; readonly key: string }
  | { readonly page: 'materialization'; readonly id: number }
  | { readonly page: 'runs' }
  /** A run; `step`: the step selected at first (its attempts shown, the log narrowed to it). */
  | { readonly page: 'run'; readonly id: number; readonly step?: number }
  | { readonly page: 'automation' }
  /** The backfills; `select` opens the form to start one, filled with that selection. */
  | { readonly page: 'backfills'; readonly select?: string }
  | { readonly page: 'backfill'; readonly id: number }
  | { readonly page: 'plans'; readonly state?: string }
  | { readonly page: 'plan'; readonly id: string }
  /** The asset catalog; `search` holds its filters and sort (lineage/src/catalog/catalog-query.ts). */
  | { readonly page: 'catalog'; readonly search: string }
  | { readonly page: 'not-found'; readonly path: string };

/** The route of a location hash. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter((part) => part !== '');
  const decode = (part: string): string | undefined => {
    try {
      return decodeURIComponent(part);
    } catch {
      return undefined;
    }
  };
  const id = (part: string | undefined): number | undefined =>
    part !== undefined && /^[1-9][0-9]{0,15}$/.test(part) ? Number(part) : undefined;
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'graph')) {
    const select = params.get('select') ?? undefined;
    const query = params.get('q') ?? undefined;
    return {
      page: 'graph',
      search,
      ...(select === undefined ? {} : { select }),
      ...(query === undefined ? {} : { query }),
    };
  }
  if (parts[0] === 'assets' && parts.length === 2) {
    const key = decode(parts[1]!);
    if (key !== undefined) return { page: 'asset', key };
  }
  if (parts[0] === 'materializations' && parts.length === 2) {
    const value = id(parts[1]);
    if (value !== undefined) return { page: 'materialization', id: value };
  }
  if (parts[0] === 'runs' && parts.length === 1) return { page: 'runs' };
  if (parts[0] === 'automation' && parts.length === 1) return { page: 'automation' };
  if (parts[0] === 'backfills' && parts.length === 1) {
    const select = params.get('select') ?? undefined;
    return { page: 'backfills', ...(select === undefined ? {} : { select }) };
  }
  if (parts[0] === 'backfills' && parts.length === 2) {
    const value = id(parts[1]);
    if (value !== undefined) return { page: 'backfill', id: value };
  }
  if (parts[0] === 'catalog' && parts.length === 1) return { page: 'catalog', search };
  if (parts[0] === 'plans' && parts.length === 1) {
    const state = params.get('state') ?? undefined;
    return { page: 'plans', ...(state === undefined ? {} : { state }) };
  }
  if (parts[0] === 'plans' && parts.length === 2 && /^plan-[0-9a-f]{16}$/.test(parts[1]!))
    return { page: 'plan', id: parts[1]! };
  if (parts[0] === 'runs' && parts.length === 2) {
    const value = id(parts[1]);
    const step = id(params.get('step') ?? undefined);
    if (value !== undefined)
      return { page: 'run', id: value, ...(step === undefined ? {} : { step }) };
  }
  return { page: 'not-found', path };
}

/** Routes as hash paths (without '#'). */
export const routes = {
  graph: (select?: string): string =>
    select === undefined ? '/' : `/?select=${encodeURIComponent(select)}`,
  asset: (key: string): string => `/assets/${encodeURIComponent(key)}`,
  materialization: (id: number): string => `/materializations/${id}`,
  runs: (): string => '/runs',
  run: (id: number, step?: number): string =>
    step === undefined ? `/runs/${id}` : `/runs/${id}?step=${step}`,
  automation: (): string => '/automation',
  backfills: (select?: string): string =>
    select === undefined ? '/backfills' : `/backfills?select=${encodeURIComponent(select)}`,
  backfill: (id: number): string => `/backfills/${id}`,
  plans: (state?: string): string =>
    state === undefined ? '/plans' : `/plans?state=${encodeURIComponent(state)}`,
  plan: (id: string): string => `/plans/${id}`,
  catalog: (search = ''): string => (search === '' ? '/catalog' : `/catalog?${search}`),
};

/** Goes to a route. */
export function navigate(route: string): void {
  window.location.hash = route;
}
