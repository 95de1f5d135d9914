// Locates and explains the first syntax error in a JSON text. JSON.parse's messages differ
// between Node versions and often lack a position ("Unexpected token 'w', ... is not valid
// JSON"), so this small recursive-descent checker finds the line and column a user needs.

/** Where a JSON text stops being valid, and what was expected there. */
export interface JsonSyntaxProblem {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
  /** E.g. `expected ',' or '}', found '"'`. */
  readonly message: string;
}

/** Thrown inside the checker to unwind to the first error. */
class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string,
    /** What was found instead, when more telling than the character at `offset`. */
    readonly found?: string,
  ) {}
}

const WHITESPACE = ' \t\n\r';
const ESCAPES = '"\\/bfnrt';
/** Characters below U+0020 must be escaped inside JSON strings. */
const FIRST_PRINTABLE = 0x20;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
/** A bare word such as `true` or the mistaken `two`, reported whole. */
const WORD = /[A-Za-z_$][\w$]*/y;
const WORD_START = /^[A-Za-z_$]$/;
const LITERALS = ['true', 'false', 'null'];

/** The first syntax error in `text`, or undefined if it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (expected: string, at = i): never => {
    throw new Stop(at, expected);
  };
  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.includes(text.charAt(i))) i++;
  };
  const word = (): void => {
    WORD.lastIndex = i;
    const found = WORD.exec(text)?.[0] ?? '';
    if (!LITERALS.includes(found)) throw new Stop(i, 'a value (text needs double quotes)', found);
    i += found.length;
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail("a closing '\"'");
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return;
      }
      if (code < FIRST_PRINTABLE) fail('an escaped control character');
      if (code !== 0x5c) {
        i++;
        continue;
      }
      const escape = text.charAt(i + 1);
      if (escape === 'u') {
        HEX4.lastIndex = i + 2;
        if (!HEX4.test(text)) fail('four hex digits', i + 2);
        i += 6;
      } else if (escape !== '' && ESCAPES.includes(escape)) {
        i += 2;
      } else {
        fail('an escape sequence', i + 1);
      }
    }
  };
  const number = (): void => {
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail('a number');
    i = NUMBER.lastIndex;
  };
  const container = (close: string, member: () => void): void => {
    i++;
    skipWhitespace();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      skipWhitespace();
      const next = text.charAt(i);
      if (next === close) {
        i++;
        return;
      }
      if (next !== ',') fail(`',' or '${close}'`);
      i++;
      skipWhitespace();
    }
  };
  const value = (): void => {
    const c = text.charAt(i);
    if (c === '{') {
      container('}', () => {
        if (text.charAt(i) !== '"') fail('a property name in double quotes');
        string();
        skipWhitespace();
        if (text.charAt(i) !== ':') fail("':'");
        i++;
        skipWhitespace();
        value();
      });
    } else if (c === '[') {
      container(']', value);
    } else if (c === '"') string();
    else if (WORD_START.test(c)) word();
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else fail('a value');
  };

  try {
    skipWhitespace();
    value();
    skipWhitespace();
    if (i < text.length) fail('end of file');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) return undefined; // e.g. stack overflow on absurd nesting
    const before = text.slice(0, error.offset);
    const found =
      error.offset >= text.length
        ? 'end of file'
        : JSON.stringify(error.found ?? text.charAt(error.offset));
    return {
      line: before.split('\n').length,
      column: error.offset - before.lastIndexOf('\n'),
      message: `expected ${error.expected}, found ${found}`,
    };
  }
}
