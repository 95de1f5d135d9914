// The UI's entry point: the header (with who the server takes the caller for), the router and
// the page lifecycle (each page is torn down when the hash changes, cancelling its fetches and
// live subscriptions).
import { getJson } from './api/client.js';
import { LiveEvents } from './api/live.js';
import type { Session } from './api/types.js';
import { noSuchPage } from './components/load-error.js';
import { h, replaceChildren } from './dom.js';
import type { PageContext } from './page.js';
import { assetPage } from './pages/asset-page.js';
import { automationPage } from './pages/automation-page.js';
import { backfillPage } from './pages/backfill-page.js';
import { backfillsPage } from './pages/backfills-page.js';
import { catalogPage } from './pages/catalog-page.js';
import { graphPage } from './pages/graph-page.js';
import { materializationPage } from './pages/materialization-page.js';
import { planPage } from './pages/plan-page.js';
import { plansPage } from './pages/plans-page.js';
import { runPage } from './pages/run-page.js';
import { runsPage } from './pages/runs-page.js';
import { parseRoute, type Route } from './router.js';
import { SearchPalette } from './search/search-palette.js';

const live = new LiveEvents();
let cleanup: (() => void) | undefined;
let controller: AbortController | undefined;
/** The page shown, and its handler of later routes to itself (PageContext.onRouteChange). */
let shown: Route['page'] | undefined;
let inPlace: ((route: Route) => void) | undefined;
const palette = new SearchPalette();

function header(): HTMLElement {
  const indicator = h('span', { class: 'live-indicator', title: 'live updates' }, 'live');
  live.onConnection((connected) => {
    indicator.classList.toggle('connected', connected);
    indicator.textContent = connected ? 'live' : 'offline';
  });
  // Who the server takes us for (a token's name and role); left empty if it cannot say.
  const whoami = h('span', { class: 'whoami' });
  getJson<Session>('/api/session')
    .then((session) => {
      whoami.textContent = `${session.name} · ${session.role}`;
      whoami.title = `may ${session.capabilities.join(', ')}`;
    })
    .catch(() => undefined);
  return h(
    'header',
    { class: 'app-header' },
    h('a', { href: '#/', class: 'brand' }, 'strata'),
    h(
      'nav',
      {},
      h('a', { href: '#/', 'data-nav': 'graph' }, 'Assets'),
      h('a', { href: '#/catalog', 'data-nav': 'catalog' }, 'Catalog'),
      h('a', { href: '#/runs', 'data-nav': 'runs' }, 'Runs'),
      h('a', { href: '#/backfills', 'data-nav': 'backfills' }, 'Backfills'),
      h('a', { href: '#/automation', 'data-nav': 'automation' }, 'Automation'),
      h('a', { href: '#/plans', 'data-nav': 'plans' }, 'Plans'),
    ),
    h('span', { class: 'spacer' }),
    palette.trigger(),
    whoami,
    indicator,
  );
}

function show(route: Route, main: HTMLElement): void {
  cleanup?.();
  controller?.abort();
  controller = new AbortController();
  shown = route.page;
  inPlace = undefined;
  const context: PageContext = {
    live,
    signal: controller.signal,
    onRouteChange: (handler) => (inPlace = handler),
  };
  replaceChildren(main);
  main.className = `page page-${route.page}`;
  document.querySelectorAll('[data-nav]').forEach((link) => {
    const section =
      route.page === 'run' || route.page === 'runs'
        ? 'runs'
        : route.page === 'plan' || route.page === 'plans'
          ? 'plans'
          : route.page === 'automation'
            ? 'automation'
            : route.page === 'backfill' || route.page === 'backfills'
              ? 'backfills'
              : route.page === 'catalog'
                ? 'catalog'
                : 'graph';
    link.classList.toggle('active', (link as HTMLElement).dataset.nav === section);
  });
  let result: (() => void) | void = undefined;
  switch (route.page) {
    case 'graph':
      result = graphPage(main, route, context);
      break;
    case 'asset':
      result = assetPage(main, route, context);
      break;
    case 'materialization':
      result = materializationPage(main, route, context);
      break;
    case 'runs':
      result = runsPage(main, route, context);
      break;
    case 'run':
      result = runPage(main, route, context);
      break;
    case 'automation':
      result = automationPage(main, route, context);
      break;
    case 'backfills':
      result = backfillsPage(main, route, context);
      break;
    case 'backfill':
      result = backfillPage(main, route, context);
      break;
    case 'plans':
      result = plansPage(main, route, context);
      break;
    case 'plan':
      result = planPage(main, route, context);
      break;
    case 'catalog':
      result = catalogPage(main, route, context);
      break;
    case 'not-found':
      main.append(noSuchPage(route.path));
  }
  cleanup = result ?? undefined;
}

function start(): void {
  const main = h('main', {});
  replaceChildren(document.body, header(), main);
  const route = (): void => {
    const next = parseRoute(window.location.hash);
    if (inPlace !== undefined && next.page === shown) inPlace(next);
    else show(next, main);
  };
  palette.install();
  window.addEventListener('hashchange', route);
  route();
}

start();
