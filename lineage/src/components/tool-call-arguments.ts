// A tool call's arguments on the materialization page: its argument hash (short, the whole of it
// copied by a button), then the arguments as collapsible pretty JSON, a one-line preview as the
// summary; long strings and long arrays are folded behind a button that unfolds them. Arguments
// too large to have been kept, and calls recorded before strata kept arguments, say so.
import type { Provenance } from '../api/types.js';
import { h } from '../dom.js';
import { formatBytes, shortHash } from '../format.js';

type ToolCall = Provenance['toolCalls'][number];

/** Strings longer than this are folded after as many characters. */
const FOLD_CHARS = 160;
/** Arrays longer than this are folded after as many items. */
const FOLD_ITEMS = 20;
/** Characters of the one-line preview in the summary. */
const PREVIEW_CHARS = 80;

/** What the server records for arguments over 64 KiB (src/provenance/tool-call-arguments.ts). */
interface TruncatedArguments {
  readonly $strata: 'truncated';
  readonly bytes: number;
  readonly maxBytes: number;
  readonly keys: readonly string[];
}

function isTruncated(value: unknown): value is TruncatedArguments {
  if (typeof value !== 'object' || value === null) return false;
  const marker = value as Partial<Record<keyof TruncatedArguments, unknown>>;
  return (
    marker.$strata === 'truncated' &&
    typeof marker.bytes === 'number' &&
    typeof marker.maxBytes === 'number' &&
    Array.isArray(marker.keys)
  );
}

/** The arguments cell of a tool call's row. */
export function toolCallArguments(call: Pick<ToolCall, 'arguments' | 'argumentHash'>): HTMLElement {
  return h(
    'div',
    { class: 'tool-arguments' },
    argumentHash(call.argumentHash),
    argumentsView(call.arguments),
  );
}

/** The short hash, its whole value in the title, and a button copying it. */
function argumentHash(hash: string): HTMLElement {
  const code = h(
    'code',
    { class: 'argument-hash', title: hash, 'data-hash': hash },
    shortHash(hash),
  );
  const button = h(
    'button',
    {
      type: 'button',
      class: 'copy-hash',
      title: 'copy the argument hash (sha256 of the canonical arguments)',
      'aria-label': 'copy the argument hash',
    },
    'copy',
  );
  button.addEventListener('click', () => void copy(hash, code, button));
  return h('div', { class: 'argument-hash-line' }, code, button);
}

/** Copies `hash`; where the clipboard is refused, shows it whole and selected instead. */
async function copy(hash: string, code: HTMLElement, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(hash);
    button.textContent = 'copied';
  } catch {
    code.textContent = hash;
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    button.textContent = 'selected';
  }
  setTimeout(() => (button.textContent = 'copy'), 1_500);
}

function argumentsView(args: unknown): HTMLElement {
  if (args === null || args === undefined)
    return h(
      'p',
      { class: 'muted arguments-note', 'data-arguments': 'not-recorded' },
      'Arguments not recorded (called before strata kept them): only their hash is known.',
    );
  if (isTruncated(args))
    return h(
      'p',
      { class: 'muted arguments-note', 'data-arguments': 'truncated' },
      `Arguments not kept: ${formatBytes(args.bytes)}, over the ${formatBytes(args.maxBytes)} provenance keeps`,
      args.keys.length === 0 ? '' : `; keys ${args.keys.join(', ')}`,
      '.',
    );
  const compact = JSON.stringify(args);
  const preview = compact.length <= PREVIEW_CHARS ? compact : `${compact.slice(0, PREVIEW_CHARS)}…`;
  return h(
    'details',
    { class: 'json-fold', 'data-arguments': 'recorded' },
    h('summary', {}, h('code', {}, preview)),
    h('pre', { class: 'value json-tree' }, ...jsonNodes(args, '')),
  );
}

/** `value` as pretty JSON (2-space indent) in nodes, long strings and arrays folded. */
function jsonNodes(value: unknown, indent: string): (Node | string)[] {
  if (typeof value === 'string') return [stringNode(value)];
  if (value === null || typeof value !== 'object') return [String(JSON.stringify(value))];
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return ['[]'];
    const items = (from: number, to: number): (Node | string)[] =>
      value
        .slice(from, to)
        .flatMap((item, i) => [from + i === 0 ? '' : ',', `\n${inner}`, ...jsonNodes(item, inner)]);
    if (value.length <= FOLD_ITEMS) return ['[', ...items(0, value.length), `\n${indent}]`];
    const rest = h('span', { class: 'json-rest' });
    rest.append(
      unfoldButton(`… ${value.length - FOLD_ITEMS} more items`, () =>
        rest.replaceChildren(...items(FOLD_ITEMS, value.length)),
      ),
    );
    return ['[', ...items(0, FOLD_ITEMS), rest, `\n${indent}]`];
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return ['{}'];
  return [
    '{',
    ...entries.flatMap(([key, item], i) => [
      i === 0 ? '' : ',',
      `\n${inner}`,
      h('span', { class: 'json-key' }, JSON.stringify(key)),
      ': ',
      ...jsonNodes(item, inner),
    ]),
    `\n${indent}}`,
  ];
}

/** A JSON string, folded after FOLD_CHARS characters. */
function stringNode(text: string): HTMLElement {
  const full = JSON.stringify(text);
  if (text.length <= FOLD_CHARS) return h('span', { class: 'json-string' }, full);
  const node = h(
    'span',
    { class: 'json-string folded' },
    JSON.stringify(text.slice(0, FOLD_CHARS)).slice(0, -1),
  );
  node.append(
    unfoldButton(`… ${(text.length - FOLD_CHARS).toLocaleString()} more characters`, () => {
      node.classList.remove('folded');
      node.replaceChildren(full);
    }),
    '"',
  );
  return node;
}

function unfoldButton(label: string, unfold: () => void): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'json-more', title: 'show all', onclick: unfold },
    label,
  );
}
