// The JSON syntax checker behind the design-space file's "invalid JSON at line L, column C".
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxProblem } from '../../assets/tools/doe/json-syntax.js';

describe('findJsonSyntaxProblem', () => {
  it.each([
    '{}',
    '[]',
    ' { "a": [1, -2.5e-3, 0, true, false, null, "x\\n\\u00e9\\"" ], "b": {} } ',
    '"just a string"',
    '12',
  ])('accepts valid JSON %s', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxProblem(text)).toBeUndefined();
  });

  it.each<[string, number, number, string]>([
    ['{"a":1,}', 1, 8, 'expected a property name in double quotes, found "}"'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}', found \"\\\"\""],
    ['[1, 2', 1, 6, "expected ',' or ']', found end of file"],
    ['{"a": tru}', 1, 7, 'expected a value (text needs double quotes), found "tru"'],
    ['{"a": 01}', 1, 8, "expected ',' or '}', found \"1\""],
    ['{"a": "b\\x"}', 1, 10, 'expected an escape sequence, found "x"'],
    ['{"a": "b', 1, 9, "expected a closing '\"', found end of file"],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes, found "\'"'],
    ['{} {}', 1, 4, 'expected end of file, found "{"'],
    ['{"a" 1}', 1, 6, 'expected \':\', found "1"'],
  ])('locates the error in %j', (text, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxProblem(text)).toEqual({ line, column, message });
  });
});
