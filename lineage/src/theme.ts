// The theme's colours for what CSS cannot style (the graph canvas): the custom properties of
// styles.css read as they apply now, and read again when the system switches between light and
// dark (styles.css holds both sets; this module holds none of its own).

/** The custom properties the canvas draws with (without their leading `--`). */
const NAMES = [
  'canvas',
  'canvas-dot',
  'card',
  'ink',
  'muted',
  'edge',
  'edge-dim',
  'edge-path',
  'block-dim',
  'ring-selected',
  'ring-hovered',
  'ring-match',
] as const;

/** The theme's colours by property name. */
export type Palette = Readonly<Record<(typeof NAMES)[number], string>>;

const DARK_QUERY = '(prefers-color-scheme: dark)';
let current: Palette | undefined;
const listeners = new Set<() => void>();

/** The colours of the theme in use. */
export function palette(): Palette {
  current ??= read();
  return current;
}

/** Whether the dark theme is in use. */
export function isDark(): boolean {
  return window.matchMedia(DARK_QUERY).matches;
}

/** Calls `listener` whenever the theme changes; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function read(): Palette {
  const style = getComputedStyle(document.documentElement);
  const entries = NAMES.map((name) => {
    const value = style.getPropertyValue(`--${name}`).trim();
    if (value === '') throw new Error(`styles.css defines no --${name}`);
    return [name, value] as const;
  });
  return Object.fromEntries(entries) as Palette;
}

window.matchMedia(DARK_QUERY).addEventListener('change', () => {
  current = undefined;
  for (const listener of listeners) listener();
});
