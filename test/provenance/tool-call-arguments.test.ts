// What provenance keeps of a tool call's arguments, without a database: which keys are
// credentials (and which merely look alike), redaction of nested values and of credential-like
// strings, and the 64 KiB cap measured after redaction.
import { describe, expect, it } from 'vitest';
import {
  isCredentialKey,
  isTruncatedArguments,
  recordedArguments,
  redactArguments,
  TOOL_ARGUMENTS_MAX_BYTES,
} from '../../src/provenance/index.js';
import { canonicalJson, hashJson } from '../../src/util/canonical-json.js';

describe('isCredentialKey', () => {
  it.each([
    'password',
    'db_password',
    'passwd',
    'secret',
    'clientSecret',
    'token',
    'accessToken',
    'X-Auth-Token',
    'api_key',
    'apiKey',
    'x-api-key',
    'Authorization',
    'auth',
    'Cookie',
    'private_key',
    'AWS_SECRET_ACCESS_KEY',
    'credentials',
  ])('%s is a credential', (key) => expect(isCredentialKey(key)).toBe(true));

  it.each(['x', 'mesh', 'author', 'key', 'partition_key', 'passes', 'keyword', 'authority'])(
    '%s is not',
    (key) => expect(isCredentialKey(key)).toBe(false),
  );
});

describe('recordedArguments', () => {
  const record = (args: Record<string, unknown>) =>
    JSON.parse(recordedArguments(canonicalJson(args), hashJson(args))) as unknown;

  it('keeps arguments canonical and redacts in depth, null left as it is', () => {
    expect(record({ b: [{ token: 'abc' }], a: { password: null, user: 'me' } })).toEqual({
      a: { password: null, user: 'me' },
      b: [{ token: '[redacted]' }],
    });
    expect(redactArguments('Basic dXNlcjpwYXNzd29yZA==')).toBe('[redacted]');
    expect(redactArguments('https://user:pw@example.com/x')).toBe(
      'https://user:[redacted]@example.com/x',
    );
    expect(redactArguments('https://example.com/x')).toBe('https://example.com/x');
  });

  it('records what was sent as JSON: a Date as its ISO string, undefined left out', () => {
    const at = new Date('2026-12-03T12:00:00Z');
    expect(record({ at, skip: undefined, x: 1 })).toEqual({ at: '2026-12-03T12:00:00.000Z', x: 1 });
  });

  it('keeps arguments of exactly 64 KiB and replaces one byte more by the marker', () => {
    const filler = (n: number) => ({ s: 'x'.repeat(n - '{"s":""}'.length) });
    const fits = filler(TOOL_ARGUMENTS_MAX_BYTES);
    expect(canonicalJson(fits)).toHaveLength(TOOL_ARGUMENTS_MAX_BYTES);
    expect(record(fits)).toEqual(fits);
    const over = filler(TOOL_ARGUMENTS_MAX_BYTES + 1);
    const marker = record(over);
    expect(isTruncatedArguments(marker)).toBe(true);
    expect(marker).toMatchObject({ bytes: TOOL_ARGUMENTS_MAX_BYTES + 1, keys: ['s'] });
  });

  it('measures after redaction: a large secret does not hide the other arguments', () => {
    const args = { private_key: 'k'.repeat(100_000), x: 1 };
    expect(record(args)).toEqual({ private_key: '[redacted]', x: 1 });
  });
});
