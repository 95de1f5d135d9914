// The arguments of a tool call under its row in `strata provenance`: one line of JSON, cut
// beyond a preview (all of it, pretty, with --verbose); a note for arguments too large to have
// been kept and for calls recorded before strata kept arguments (only their hash is known).
import { isTruncatedArguments, type ProvenanceToolCall } from '../../provenance/index.js';
import { formatBytes } from './byte-size.js';
import type { Colors } from './colors.js';

/** Characters of the arguments shown without --verbose. */
const ARGUMENTS_PREVIEW = 200;

/** The lines shown under a tool call's row, each indented by `indent`. */
export function toolCallArgumentLines(
  call: Pick<ProvenanceToolCall, 'arguments'>,
  colors: Colors,
  verbose: boolean,
  indent: string,
): string[] {
  const args = call.arguments;
  if (args === null || args === undefined)
    return [`${indent}${colors.dim('arguments not recorded (called before strata kept them)')}`];
  if (isTruncatedArguments(args)) {
    const keys = args.keys.length === 0 ? '' : `; keys ${args.keys.join(', ')}`;
    return [
      `${indent}${colors.dim(`arguments not kept: ${kib(args.bytes)}, over the ${kib(args.maxBytes)} provenance keeps${keys}`)}`,
    ];
  }
  if (verbose)
    return JSON.stringify(args, null, 2)
      .split('\n')
      .map((line) => `${indent}${line}`);
  const text = JSON.stringify(args);
  if (text.length <= ARGUMENTS_PREVIEW) return [`${indent}${text}`];
  const size = formatBytes(Buffer.byteLength(text));
  return [
    `${indent}${text.slice(0, ARGUMENTS_PREVIEW)}${colors.dim(`... (${size}; --verbose or --json shows all)`)}`,
  ];
}

/** `79.1 KiB`, `64 KiB`: the cap is a power of two, so sizes beside it are in KiB too. */
function kib(bytes: number): string {
  const value = bytes / 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} KiB`;
}
