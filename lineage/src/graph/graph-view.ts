// The interactive asset graph: a canvas that pans (drag), zooms (wheel, buttons, keys), selects
// (click), opens (double-click or Enter) and shows a tooltip on hover. Frames are drawn on
// requestAnimationFrame only when something changed; each frame's cost is kept on the canvas
// (data-frame-ms) for the benchmark, and the first frame is marked `strata:graph-rendered`.
// Groups are boxes that a click on their card or title expands or collapses (the page decides;
// [ and ] step the keyboard through them, ringed, and Enter opens or closes the one reached);
// the groups as drawn (name, open, counts, screen rectangle) are kept on the element (data-groups) for tests and
// tools. Fit and centring aim at the area the page leaves uncovered (setInsets). A view centred on
// a point (an asset selected with centring, a camera from the URL) stays centred on it when the
// canvas is resized or the uncovered area changes (the side panel opens or changes width), and
// centring reads the canvas size at that moment rather than the last one the ResizeObserver
// reported (a resize and a navigation in the same frame used to centre on the old width).
import type { GraphDocument } from './graph-data.js';
import { COLLAPSE_ABOVE, groupAssets, type AssetGrouping } from './asset-groups.js';
import { summary } from './group-renderer.js';
import { h, replaceChildren } from '../dom.js';
import { Camera, type CameraState } from './camera.js';
import {
  buildGraphModel,
  closure,
  COLUMN_WIDTH,
  firstBelow,
  groupAt,
  NODE_HEIGHT,
  NODE_WIDTH,
  type GraphModel,
  type PlacedNode,
} from './graph-model.js';
import { lateness } from '../freshness.js';
import {
  drawGraph,
  LabelCache,
  routesPending,
  statusLine,
  type Highlight,
} from './graph-renderer.js';
import { onThemeChange } from '../theme.js';

/** A pointer that moves less than this between down and up is a click, not a drag. */
const CLICK_TOLERANCE_PX = 4;
/** The zoom factor of one wheel notch (100 px of deltaY) and of the +/- buttons. */
const ZOOM_STEP = 1.25;
/** The smallest zoom at which group cards and asset cards read (labels, counts). */
const READABLE_SCALE = 0.5;
/** The scale a node is shown at when the view jumps to it. */
const FOCUS_SCALE = 0.9;

/** What the view tells its page. */
export interface GraphViewEvents {
  onSelect(key: string | undefined): void;
  onOpen(key: string): void;
  /** A group's card or title was clicked (without: the view opens or closes it itself). */
  onToggleGroup?(name: string): void;
  /** The user panned or zoomed. */
  onCamera?(): void;
}

export type { CameraState };

/** The groups open at first: all of them, unless the graph has more than COLLAPSE_ABOVE assets. */
export function defaultExpanded(
  graph: GraphDocument,
  grouping: AssetGrouping,
): ReadonlySet<string> {
  return new Set(graph.nodes.length > COLLAPSE_ABOVE ? [] : grouping.names);
}

/** The canvas view of the asset graph. */
export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly camera = new Camera();
  private readonly labels = new LabelCache();
  private model: GraphModel | undefined;
  private selected: number | undefined;
  private hovered: number | undefined;
  private hoveredGroup: number | undefined;
  /** The group stepped to with [ and ] (ringed like a hovered one; Enter opens or closes it). */
  private keyGroup: string | undefined;
  private graph: GraphDocument | undefined;
  private grouping: AssetGrouping | undefined;
  private expanded: ReadonlySet<string> = new Set();
  /** Screen pixels on the right covered by the page (the side panel). */
  private rightInset = 0;
  /** The world point the view was centred on, until the user pans or zooms. */
  private focus: { x: number; y: number } | undefined;
  private upstream: ReadonlySet<number> = new Set();
  private downstream: ReadonlySet<number> = new Set();
  private matches: ReadonlySet<number> | undefined;
  private frameRequested = false;
  /** A camera asked for before the canvas had a size. */
  private pendingCamera: CameraState | undefined;
  private rendered = false;
  private width = 0;
  private height = 0;
  private readonly resizeObserver: ResizeObserver;
  private readonly stopThemeWatch: () => void;
  private drag: { x: number; y: number; moved: boolean; pointerId: number } | undefined;

  constructor(private readonly events: GraphViewEvents) {
    this.canvas = h('canvas', {
      class: 'graph-canvas',
      tabindex: 0,
      role: 'img',
      'aria-label':
        'asset graph: drag to pan, wheel to zoom, click to select, [ and ] to step through groups, Enter to open or close one',
    });
    this.tooltip = h('div', { class: 'graph-tooltip', hidden: true });
    this.element = h('div', { class: 'graph-view' }, this.canvas, this.tooltip);
    const context = this.canvas.getContext('2d', { alpha: true });
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.context = context;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.element);
    // A switch between the light and the dark theme redraws with the new colours.
    this.stopThemeWatch = onThemeChange(() => this.requestFrame());
    this.listen();
  }

  /**
   * Shows `graph` with the groups named in `expanded` open: the first time fits it in the view;
   * later keeps the view and selection (and, with `anchor`, that group where it was on screen).
   */
  setGraph(graph: GraphDocument, expanded?: ReadonlySet<string>, anchor?: string): void {
    const previous = this.model;
    const selectedKey = this.selectedKey;
    const matchKeys =
      this.matches === undefined
        ? undefined
        : [...this.matches].map((i) => previous!.nodes[i]!.key);
    if (this.graph !== graph || this.grouping === undefined) {
      // Groups follow keys and group names, which a status update leaves alone.
      const sameNodes = this.graph?.nodes.length === graph.nodes.length;
      if (!sameNodes || this.grouping === undefined) this.grouping = groupAssets(graph.nodes);
    }
    const before = anchor === undefined ? undefined : this.groupByName(anchor);
    this.graph = graph;
    const open =
      expanded ?? (previous === undefined ? defaultExpanded(graph, this.grouping) : this.expanded);
    this.expanded = open;
    const started = performance.now();
    this.model = buildGraphModel(graph, (name) => open.has(name), this.grouping);
    // What laying out and indexing the graph cost (the benchmark reads it).
    this.element.dataset.modelMs = (performance.now() - started).toFixed(2);
    const after = anchor === undefined ? undefined : this.groupByName(anchor);
    if (before !== undefined && after !== undefined) {
      this.focus = undefined;
      this.camera.pan(
        (before.left - after.left) * this.camera.scale,
        (before.top - after.top) * this.camera.scale,
      );
    }
    if (previous === undefined) this.firstView();
    this.selected = selectedKey === undefined ? undefined : this.model.indexOf.get(selectedKey);
    this.updateClosures();
    if (matchKeys !== undefined) this.setMatches(matchKeys);
    this.requestFrame();
  }

  /** The names of the groups (one: the graph is drawn without boxes). */
  get groupNames(): readonly string[] {
    return this.grouping?.names ?? [];
  }

  /** The names of the open groups. */
  get openGroups(): readonly string[] {
    return [...this.expanded];
  }

  /** The group an asset is drawn in. */
  groupOf(key: string): string | undefined {
    const index = this.model?.indexOf.get(key);
    return index === undefined
      ? undefined
      : this.model!.groups[this.model!.nodes[index]!.group]?.name;
  }

  /** The groups as drawn: name, whether open, asset count and the counts by state in words. */
  groups(): { name: string; expanded: boolean; assets: number; summary: string }[] {
    if (this.model === undefined || !this.model.boxed) return [];
    return this.model.groups.map((group) => ({
      name: group.name,
      expanded: group.expanded,
      assets: group.members.length,
      summary: summary(group),
    }));
  }

  /** Screen pixels on the right that the page covers; fit and centring keep clear of them. */
  setInsets(right: number): void {
    const inset = Math.max(0, right);
    if (inset === this.rightInset) return;
    this.rightInset = inset;
    if (this.focus !== undefined && this.width > 0) this.centerOnFocus(this.focus);
  }

  /** Shows `focus` at the centre of the uncovered area, at the current zoom, and keeps it. */
  private centerOnFocus(focus: { x: number; y: number }, scale = this.camera.scale): void {
    this.focus = focus;
    this.camera.centerOn(focus.x, focus.y, this.usableWidth(), this.height, scale);
    this.requestFrame();
  }

  /** The zoom and the world point at the centre of the uncovered area. */
  cameraState(): CameraState {
    const [x, y] = this.camera.toWorld(this.usableWidth() / 2, this.height / 2);
    return { z: this.camera.scale, x, y };
  }

  /** Shows the world point (x, y) at the centre of the uncovered area, at zoom z. */
  setCamera(state: CameraState): void {
    this.syncSize();
    if (this.width === 0) {
      this.pendingCamera = state;
      return;
    }
    this.centerOnFocus({ x: state.x, y: state.y }, state.z);
  }

  private usableWidth(): number {
    return Math.max(1, this.width - this.rightInset);
  }

  private groupByName(name: string): { left: number; top: number } | undefined {
    return this.model?.groups.find((group) => group.name === name);
  }

  /** The selected asset's key. */
  get selectedKey(): string | undefined {
    return this.selected === undefined ? undefined : this.model?.nodes[this.selected]?.key;
  }

  /** Selects (and optionally centres) an asset; undefined clears the selection. */
  select(key: string | undefined, options: { center?: boolean } = {}): void {
    const index = key === undefined ? undefined : this.model?.indexOf.get(key);
    this.selected = index;
    this.updateClosures();
    if (index !== undefined && options.center === true) {
      const node = this.model!.nodes[index]!;
      this.syncSize();
      this.centerOnFocus(
        { x: node.x + NODE_WIDTH / 2, y: node.y + NODE_HEIGHT / 2 },
        Math.max(this.camera.scale, FOCUS_SCALE),
      );
    }
    this.requestFrame();
    this.events.onSelect(this.selectedKey);
  }

  /** Outlines these assets (a search or selection result); undefined clears. */
  setMatches(keys: readonly string[] | undefined): void {
    if (keys === undefined || this.model === undefined) this.matches = undefined;
    else {
      const model = this.model;
      this.matches = new Set(
        keys.map((key) => model.indexOf.get(key)).filter((i) => i !== undefined),
      );
    }
    // How many assets are outlined, for tests and tools (the canvas itself is opaque).
    if (this.matches === undefined) delete this.element.dataset.matches;
    else this.element.dataset.matches = String(this.matches.size);
    this.requestFrame();
  }

  /** Shows the matched assets whole. */
  fitMatches(): void {
    if (this.matches === undefined || this.matches.size === 0) return;
    this.fitNodes([...this.matches].map((i) => this.model!.nodes[i]!));
  }

  /** Shows the whole graph. */
  fit(): void {
    if (this.model !== undefined) this.fitNodes(this.model.nodes);
  }

  /**
   * The first view: the whole graph, unless its groups would be too small to read (a long chain
   * of groups); then its start (the first groups, left), at the smallest zoom that reads.
   */
  private firstView(): void {
    this.fit();
    const model = this.model;
    if (model === undefined || !model.boxed || this.camera.scale >= READABLE_SCALE) return;
    if (model.groups.every((group) => group.expanded)) return;
    const first = model.groups.filter((group) => group.left <= model.groups[0]!.left + 1);
    let top = Infinity;
    let bottom = -Infinity;
    for (const group of model.groups.length > 0 ? first : []) {
      top = Math.min(top, group.top);
      bottom = Math.max(bottom, group.top + group.height);
    }
    const left = Math.min(...model.groups.map((group) => group.left));
    const scale = Math.max(
      READABLE_SCALE,
      Math.min(1, this.height / Math.max(1, bottom - top + 80)),
    );
    const width = this.usableWidth() / scale;
    this.focus = undefined;
    this.camera.centerOn(
      left - 40 + width / 2,
      (top + bottom) / 2,
      this.usableWidth(),
      this.height,
      scale,
    );
  }

  zoom(factor: number): void {
    this.focus = undefined;
    this.camera.zoomAt(this.usableWidth() / 2, this.height / 2, factor);
    this.requestFrame();
    this.events.onCamera?.();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.stopThemeWatch();
  }

  private fitNodes(nodes: readonly PlacedNode[]): void {
    let left = Infinity;
    let top = Infinity;
    let right = -Infinity;
    let bottom = -Infinity;
    const model = this.model!;
    for (const node of nodes) {
      // An asset of a collapsed group is its group's card; an open group's box is shown whole.
      const group = model.boxed ? model.groups[node.group] : undefined;
      const box =
        group === undefined
          ? { left: node.x, top: node.y, right: node.x + NODE_WIDTH, bottom: node.y + NODE_HEIGHT }
          : group.expanded && nodes.length === model.nodes.length
            ? {
                left: group.left,
                top: group.top,
                right: group.left + group.width,
                bottom: group.top + group.height,
              }
            : group.expanded
              ? {
                  left: node.x,
                  top: node.y,
                  right: node.x + NODE_WIDTH,
                  bottom: node.y + NODE_HEIGHT,
                }
              : {
                  left: group.left,
                  top: group.top,
                  right: group.left + group.width,
                  bottom: group.top + group.height,
                };
      left = Math.min(left, box.left);
      top = Math.min(top, box.top);
      right = Math.max(right, box.right);
      bottom = Math.max(bottom, box.bottom);
    }
    if (left === Infinity) return;
    this.syncSize();
    this.focus = undefined;
    this.camera.fit({ left, top, right, bottom }, this.usableWidth(), this.height, 1);
    this.requestFrame();
  }

  private updateClosures(): void {
    if (this.selected === undefined || this.model === undefined) {
      this.upstream = new Set();
      this.downstream = new Set();
    } else {
      this.upstream = closure(this.model.upstream, this.selected);
      this.downstream = closure(this.model.downstream, this.selected);
    }
  }

  /** Applies the element's size now, if it changed (before the ResizeObserver says so). */
  private syncSize(): void {
    const rect = this.element.getBoundingClientRect();
    if (rect.width === 0 || this.width === 0) return; // not laid out yet: the observer will say
    const width = Math.max(1, Math.floor(rect.width));
    const height = Math.max(1, Math.floor(rect.height));
    if (width !== this.width || height !== this.height) this.resize();
  }

  private resize(): void {
    const rect = this.element.getBoundingClientRect();
    const first = this.width === 0;
    const width = Math.max(1, Math.floor(rect.width));
    const height = Math.max(1, Math.floor(rect.height));
    if (!first && width === this.width && height === this.height) return;
    // What is at the centre of the uncovered area stays there.
    let centre = this.focus;
    if (centre === undefined && !first) {
      const [x, y] = this.camera.toWorld(this.usableWidth() / 2, this.height / 2);
      centre = { x, y };
    }
    this.width = width;
    this.height = height;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    // The first layout shows the outlined assets when there are any, else the whole graph.
    if (first && this.pendingCamera !== undefined) this.setCamera(this.pendingCamera);
    else if (first && (this.matches?.size ?? 0) > 0) this.fitMatches();
    else if (first) this.firstView();
    else if (centre !== undefined)
      this.camera.centerOn(centre.x, centre.y, this.usableWidth(), this.height, this.camera.scale);
    this.requestFrame();
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  private draw(): void {
    if (this.model === undefined || this.width <= 1) return;
    const started = performance.now();
    const highlight: Highlight = {
      selected: this.selected,
      upstream: this.upstream,
      downstream: this.downstream,
      matches: this.matches,
      hovered: this.hovered,
      hoveredGroup:
        this.hoveredGroup ?? this.model.groups.find((g) => g.name === this.keyGroup)?.index,
    };
    const drawn = drawGraph(
      this.context,
      this.model,
      this.camera,
      { width: this.width, height: this.height, pixelRatio: window.devicePixelRatio || 1 },
      highlight,
      this.labels,
    );
    const frameMs = performance.now() - started;
    if (routesPending(this.model)) this.requestFrame(); // edge routes are computed over frames
    this.canvas.dataset.frameMs = frameMs.toFixed(2);
    this.canvas.dataset.drawnNodes = String(drawn);
    this.canvas.dataset.scale = this.camera.scale.toFixed(4);
    this.canvas.dataset.frames = String(Number(this.canvas.dataset.frames ?? '0') + 1);
    this.element.dataset.groups = this.groupRects();
    if (!this.rendered) {
      this.rendered = true;
      performance.mark('strata:graph-rendered');
      this.element.dataset.ready = 'true';
    }
  }

  /** The groups as drawn, as JSON: name, open, asset count, counts in words, screen rectangle. */
  private groupRects(): string {
    const model = this.model;
    if (model === undefined || !model.boxed) return '[]';
    const { scale, offsetX, offsetY } = this.camera;
    return JSON.stringify(
      model.groups.map((group) => ({
        name: group.name,
        expanded: group.expanded,
        assets: group.members.length,
        summary: summary(group),
        x: Math.round(group.left * scale + offsetX),
        y: Math.round(group.top * scale + offsetY),
        width: Math.round(group.width * scale),
        height: Math.round(group.height * scale),
      })),
    );
  }

  /** The group whose card or title is under a point of the canvas. */
  private hitGroup(screenX: number, screenY: number): number | undefined {
    if (this.model === undefined) return undefined;
    const [x, y] = this.camera.toWorld(screenX, screenY);
    return groupAt(this.model, x, y);
  }

  /** The node under a point of the canvas. */
  private hit(screenX: number, screenY: number): number | undefined {
    if (this.model === undefined) return undefined;
    const [x, y] = this.camera.toWorld(screenX, screenY);
    const layer = Math.floor(x / COLUMN_WIDTH);
    if (x - layer * COLUMN_WIDTH > NODE_WIDTH) return undefined; // between columns
    const column = this.model.columns[layer];
    if (column === undefined) return undefined;
    const at = column[firstBelow(this.model, column, y)];
    const node = at === undefined ? undefined : this.model.nodes[at];
    return node !== undefined && y >= node.y && y <= node.y + NODE_HEIGHT ? node.index : undefined;
  }

  private listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener('pointerdown', (event) => {
      canvas.setPointerCapture(event.pointerId);
      this.drag = { x: event.clientX, y: event.clientY, moved: false, pointerId: event.pointerId };
    });
    canvas.addEventListener('pointermove', (event) => {
      const drag = this.drag;
      if (drag !== undefined && drag.pointerId === event.pointerId) {
        const dx = event.clientX - drag.x;
        const dy = event.clientY - drag.y;
        if (drag.moved || Math.hypot(dx, dy) > CLICK_TOLERANCE_PX) {
          drag.moved = true;
          this.focus = undefined;
          this.camera.pan(dx, dy);
          drag.x = event.clientX;
          drag.y = event.clientY;
          this.hideTooltip();
          this.requestFrame();
        }
        return;
      }
      this.hover(event.offsetX, event.offsetY);
    });
    canvas.addEventListener('pointerup', (event) => {
      const drag = this.drag;
      this.drag = undefined;
      if (drag === undefined) return;
      if (drag.moved) {
        this.events.onCamera?.();
        return;
      }
      const group = this.hitGroup(event.offsetX, event.offsetY);
      if (group !== undefined) {
        this.toggleGroup(this.model!.groups[group]!.name);
        return;
      }
      const index = this.hit(event.offsetX, event.offsetY);
      this.keyGroup = undefined; // Enter opens the asset clicked, not the group stepped to
      delete this.element.dataset.keyGroup;
      this.select(index === undefined ? undefined : this.model!.nodes[index]!.key);
    });
    canvas.addEventListener('pointerleave', () => {
      this.hovered = undefined;
      this.hoveredGroup = undefined;
      this.hideTooltip();
      this.requestFrame();
    });
    canvas.addEventListener('dblclick', (event) => {
      const index = this.hit(event.offsetX, event.offsetY);
      if (index !== undefined) this.events.onOpen(this.model!.nodes[index]!.key);
    });
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const pixels = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
        this.focus = undefined;
        this.camera.zoomAt(event.offsetX, event.offsetY, Math.pow(ZOOM_STEP, -pixels / 100));
        this.hideTooltip();
        this.requestFrame();
        this.events.onCamera?.();
      },
      { passive: false },
    );
    canvas.addEventListener('keydown', (event) => this.key(event));
  }

  private key(event: KeyboardEvent): void {
    const pan = 80;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [pan, 0],
      ArrowRight: [-pan, 0],
      ArrowUp: [0, pan],
      ArrowDown: [0, -pan],
    };
    const move = moves[event.key];
    if (move !== undefined) {
      this.focus = undefined;
      this.camera.pan(move[0], move[1]);
      this.requestFrame();
      this.events.onCamera?.();
    } else if (event.key === '+' || event.key === '=') this.zoom(ZOOM_STEP);
    else if (event.key === '-') this.zoom(1 / ZOOM_STEP);
    else if (event.key === '0') {
      this.fit();
      this.events.onCamera?.();
    } else if (event.key === ']' || event.key === '[') this.stepGroup(event.key === ']' ? 1 : -1);
    else if (event.key === 'Enter' && this.keyGroup !== undefined) this.toggleGroup(this.keyGroup);
    else if (event.key === 'Escape') {
      this.keyGroup = undefined;
      delete this.element.dataset.keyGroup;
      this.select(undefined);
    } else if (event.key === 'Enter' && this.selectedKey !== undefined)
      this.events.onOpen(this.selectedKey);
    else return;
    event.preventDefault();
  }

  /** Opens or closes a group (the page decides, when it listens). */
  private toggleGroup(name: string): void {
    this.hideTooltip();
    this.hoveredGroup = undefined;
    if (this.events.onToggleGroup !== undefined) this.events.onToggleGroup(name);
    else if (this.graph !== undefined) {
      const next = new Set(this.expanded);
      if (!next.delete(name)) next.add(name);
      this.setGraph(this.graph, next, name);
    }
  }

  /** Moves the keyboard's group to the next (1) or previous (-1), left to right, and shows it. */
  private stepGroup(direction: 1 | -1): void {
    if (this.model === undefined || !this.model.boxed) return;
    const order = [...this.model.groups].sort((a, b) => a.left - b.left || a.top - b.top);
    const at = order.findIndex((group) => group.name === this.keyGroup);
    const from = at >= 0 ? at : direction > 0 ? -1 : 0;
    const next = order[(from + direction + order.length) % order.length]!;
    this.keyGroup = next.name;
    this.element.dataset.keyGroup = next.name;
    this.centerOnFocus({ x: next.left + next.width / 2, y: next.top + next.height / 2 });
    this.events.onCamera?.();
  }

  private hover(x: number, y: number): void {
    const group = this.hitGroup(x, y);
    if (group !== this.hoveredGroup) {
      this.hoveredGroup = group;
      this.requestFrame();
    }
    if (group !== undefined) {
      const placed = this.model!.groups[group]!;
      this.canvas.style.cursor = 'pointer';
      replaceChildren(
        this.tooltip,
        h('strong', {}, `group ${placed.name}`),
        h(
          'span',
          {},
          `${placed.members.length.toLocaleString('en-US')} assets: ${summary(placed)}`,
        ),
        h('span', { class: 'muted' }, placed.expanded ? 'click to collapse' : 'click to expand'),
      );
      this.tooltip.hidden = false;
      this.tooltip.style.left = `${Math.min(x + 14, this.width - 260)}px`;
      this.tooltip.style.top = `${y + 14}px`;
      return;
    }
    const index = this.hit(x, y);
    if (index !== this.hovered) {
      this.hovered = index;
      this.requestFrame();
    }
    this.canvas.style.cursor = index === undefined ? 'grab' : 'pointer';
    if (index === undefined) {
      this.hideTooltip();
      return;
    }
    const node = this.model!.nodes[index]!;
    const { freshness } = node.asset.status;
    replaceChildren(
      this.tooltip,
      h('strong', {}, node.key),
      h('span', {}, statusLine(node)),
      !node.asset.source
        ? null
        : h('span', { class: 'tooltip-source' }, 'source asset: observed, never computed'),
      node.asset.status.mainReason === null
        ? null
        : h('span', { class: 'muted' }, node.asset.status.mainReason),
      freshness === null
        ? null
        : h('span', {}, `freshness ${freshness.state}: ${lateness(freshness)}`),
      node.asset.automation === null
        ? null
        : h('span', { class: 'muted' }, `automation: ${node.asset.automation}`),
    );
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(x + 14, this.width - 260)}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }
}
