// What every page gets and gives back: a root element to fill, the shared live stream, and a
// function that releases what the page holds (subscriptions, timers) when it is left.
import type { LiveEvents } from './api/live.js';
import type { Route } from './router.js';

/** Shared by the pages. */
export interface PageContext {
  readonly live: LiveEvents;
  /** An AbortSignal that fires when the page is left (for fetches in flight). */
  readonly signal: AbortSignal;
  /**
   * For a page whose URL holds its view (filters, sort): later routes to the same page (its own
   * changes of the URL, back/forward, a link) go to `handler`, which updates the page in place
   * instead of it being rebuilt.
   */
  readonly onRouteChange: (handler: (route: Route) => void) => void;
}

/** Renders a page into `root`; returns its cleanup. */
export type Page<P> = (root: HTMLElement, params: P, context: PageContext) => (() => void) | void;
