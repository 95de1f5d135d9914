// The graph page's view as URL parameters (#/?select=+mesh&q=fea&asset=mesh&open=cad,sim&z=1.5
// &x=820&y=-40): the search, the selection expression, the selected asset, the open groups ('*':
// all; absent: the graph's default) and the zoom with the world point at the centre. Parsed
// leniently (a malformed value is dropped, never an error) and written in a fixed order.
import type { CameraState } from './camera.js';

/** What the graph page shows. */
export interface GraphUrlState {
  readonly select?: string;
  readonly query?: string;
  readonly asset?: string;
  /** The open groups; 'all'; undefined: the default of the graph's size. */
  readonly open?: readonly string[] | 'all';
  readonly camera?: CameraState;
}

const MAX_TEXT = 2_000;

function text(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' || value.length > MAX_TEXT ? undefined : value;
}

function finite(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** The state of a route's search string (without '?'). */
export function parseGraphUrl(search: string): GraphUrlState {
  const params = new URLSearchParams(search);
  const select = text(params, 'select');
  const query = text(params, 'q');
  const asset = text(params, 'asset');
  const openText = params.get('open');
  const open =
    openText === null
      ? undefined
      : openText === '*'
        ? ('all' as const)
        : openText.split(',').filter((name) => name !== '');
  const z = finite(params, 'z');
  const x = finite(params, 'x');
  const y = finite(params, 'y');
  return {
    ...(select === undefined ? {} : { select }),
    ...(query === undefined ? {} : { query }),
    ...(asset === undefined ? {} : { asset }),
    ...(open === undefined ? {} : { open }),
    ...(z === undefined || x === undefined || y === undefined || z <= 0
      ? {}
      : { camera: { z, x, y } }),
  };
}

/** The search string of a state (without '?'); coordinates rounded to what a person sees. */
export function graphSearch(state: GraphUrlState): string {
  const params = new URLSearchParams();
  if (state.select !== undefined) params.set('select', state.select);
  if (state.query !== undefined) params.set('q', state.query);
  if (state.asset !== undefined) params.set('asset', state.asset);
  if (state.open !== undefined)
    params.set('open', state.open === 'all' ? '*' : state.open.join(','));
  if (state.camera !== undefined) {
    params.set('z', state.camera.z.toPrecision(3).replace(/\.?0+$/, ''));
    params.set('x', String(Math.round(state.camera.x)));
    params.set('y', String(Math.round(state.camera.y)));
  }
  // Readable links: '/' and ',' and '*' need no escaping in a fragment.
  return params.toString().replace(/%2F/g, '/').replace(/%2C/g, ',').replace(/%2A/g, '*');
}
