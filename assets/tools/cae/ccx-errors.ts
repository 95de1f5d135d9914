// CalculiX's own error messages, found in what it wrote: it prints `*ERROR ...` (a message that
// may continue on indented lines) to stdout and sometimes into the `.sta` or `.dat`, and its exit
// code alone is no verdict (a run can end with 0 and no results, or 201 with a message).
// Messages are joined with their indented continuation lines.

/** A CalculiX run that failed; the message is CalculiX's own. */
export class CalculixError extends Error {
  readonly runId: string;
  readonly exitCode: number;
  /** CalculiX's error messages, each with its continuation lines joined. */
  readonly messages: readonly string[];

  constructor(runId: string, exitCode: number, messages: readonly string[]) {
    super(`CalculiX run ${runId} failed (exit code ${exitCode}): ${messages.join(' | ')}`);
    this.name = 'CalculixError';
    this.runId = runId;
    this.exitCode = exitCode;
    this.messages = messages;
  }
}

/** The `*ERROR` messages of a text, each joined with its indented continuation lines. */
export function calculixErrors(text: string): string[] {
  return calculixMessages(text, 'ERROR');
}

/**
 * The `*WARNING` messages of a text (an unknown card is only a warning, after which CalculiX may
 * stop without an error: the warning is then the explanation).
 */
export function calculixWarnings(text: string): string[] {
  return calculixMessages(text, 'WARNING');
}

function calculixMessages(text: string, kind: 'ERROR' | 'WARNING'): string[] {
  const messages: string[] = [];
  const start = new RegExp(`^\\s*\\*${kind}`);
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (start.test(line)) {
      current = [line.trim()];
      messages.push('');
    } else if (current && line.trim() !== '' && /^\s+/.test(line)) {
      current.push(line.trim());
    } else {
      current = undefined;
    }
    if (current) messages[messages.length - 1] = current.join(' ');
  }
  return [...new Set(messages)];
}
