// ANSI colors, enabled only for terminals and when NO_COLOR is unset (https://no-color.org).
import type { CliIo, OutputStream } from '../io.js';

/** Styling functions; identity functions when colors are off. */
export interface Colors {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ESC = String.fromCharCode(27);
const ANSI_PATTERN = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

function style(open: number, close: number): (text: string) => string {
  return (text) => `${ESC}[${open}m${text}${ESC}[${close}m`;
}

const plain = (text: string): string => text;

/** Colors for `stream`: on for a TTY unless NO_COLOR is set (to anything but ''). */
export function colorsFor(stream: OutputStream, env: CliIo['env']): Colors {
  const enabled = stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  return createColors(enabled);
}

/** Colors that are on or off. */
export function createColors(enabled: boolean): Colors {
  if (!enabled) {
    return {
      enabled,
      bold: plain,
      dim: plain,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
    };
  }
  return {
    enabled,
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
  };
}

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** The width of `text` on a terminal (escape sequences take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
