// The error of a bad selection: a UsageError that names the offending term and where it starts,
// so the CLI can print it and the UI can underline it.
import { UsageError } from '../errors.js';

/** Where in a selection text a problem lies. */
export interface SelectionLocation {
  /** The whole selection text. */
  readonly text: string;
  /** The offending term, trimmed (empty for an empty term). */
  readonly term: string;
  /** 1-based column of the term (or of the offending character) in `text`. */
  readonly column: number;
}

/** A selection that cannot be parsed or resolved. */
export class SelectionError extends UsageError {
  readonly term: string;
  readonly column: number;
  constructor(problem: string, location: SelectionLocation, hint?: string) {
    super(selectionMessage(problem, location), hint === undefined ? undefined : { hint });
    this.term = location.term;
    this.column = location.column;
  }
}

/** `<problem> in selection "<text>" at column N (term "<term>")`; the term is left out when it is the whole text. */
function selectionMessage(problem: string, { text, term, column }: SelectionLocation): string {
  const showTerm = term.length > 0 && term !== text.trim();
  return `${problem} in selection ${JSON.stringify(text)} at column ${column}${showTerm ? ` (term ${JSON.stringify(term)})` : ''}`;
}
