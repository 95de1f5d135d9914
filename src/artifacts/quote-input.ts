// Quoting bad user input inside error messages: recognizable, but never a whole blob.

/** How much of a bad input to quote in an error message. */
const QUOTED_INPUT_MAX = 80;

/** JSON-quotes `text`, shortened to QUOTED_INPUT_MAX characters. */
export function quoteInput(text: string): string {
  return text.length <= QUOTED_INPUT_MAX
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, QUOTED_INPUT_MAX))}...`;
}
