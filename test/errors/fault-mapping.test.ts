// Who is at fault, and what each adapter makes of it: one row per error class (the engine's
// internal signals included) with its fault, whether it may be retried, the HTTP status and
// body of the API, and the CLI's exit status and wording. Every fault appears in the table.
import { describe, expect, it } from 'vitest';
import { ArtifactIntegrityError } from '../../src/artifacts/index.js';
import { ArgumentError } from '../../src/cli/argument-error.js';
import type { CliIo } from '../../src/cli/io.js';
import { reportError } from '../../src/cli/report-error.js';
import {
  DefinitionError,
  EnvironmentError,
  FAULTS,
  ForbiddenError,
  InvariantError,
  isUserFacingError,
  NotFoundError,
  StrataError,
  UsageError,
  UserCodeError,
  type Fault,
} from '../../src/errors.js';
import { LaunchDisabledError } from '../../src/executor/index.js';
import { ComputeInterruptedError } from '../../src/executor/run-compute.js';
import { AttemptSupersededError } from '../../src/executor/step-transitions.js';
import { SelectionError } from '../../src/graph/index.js';
import { toApiError } from '../../src/server/error-response.js';

const BUG_NOTE =
  'This looks like a bug in strata or its environment; rerun with --verbose for the stack trace.';
const RETRY_NOTE = 'This may succeed if you try again.';

interface Row {
  readonly error: Error;
  readonly fault: Fault;
  readonly retryable: boolean;
  readonly status: number;
  /** The API answers with the error's own message (else "internal server error"). */
  readonly apiMessage: boolean;
  readonly exit: number;
  /** The CLI's note under the message, if any. */
  readonly note: string | undefined;
}

const hint = { hint: 'try this' };
const corrupted = new ArtifactIntegrityError({
  expectedHash: 'a'.repeat(64),
  actualHash: 'b'.repeat(64),
  path: '/tmp/artifact',
});

const rows: readonly Row[] = [
  {
    error: new UsageError('bad partition', hint),
    fault: 'usage',
    retryable: false,
    status: 400,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new ArgumentError('unknown option --forse', hint),
    fault: 'usage',
    retryable: false,
    status: 400,
    apiMessage: true,
    exit: 2,
    note: undefined,
  },
  {
    error: new SelectionError(
      'unknown asset',
      { text: 'mesj', term: 'mesj', column: 1 },
      'did you mean mesh?',
    ),
    fault: 'usage',
    retryable: false,
    status: 400,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new ComputeInterruptedError('canceled', 'mesh was cancelled'),
    fault: 'usage',
    retryable: false,
    status: 400,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new DefinitionError('dependency cycle: a -> b -> a', hint),
    fault: 'definition',
    retryable: false,
    status: 500,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new NotFoundError('unknown run 9', hint),
    fault: 'not_found',
    retryable: false,
    status: 404,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new ForbiddenError('not here', hint),
    fault: 'forbidden',
    retryable: false,
    status: 403,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new LaunchDisabledError(),
    fault: 'forbidden',
    retryable: false,
    status: 403,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new UserCodeError('solver diverged', hint),
    fault: 'user_code',
    retryable: false,
    status: 500,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new ComputeInterruptedError('timed_out', 'mesh timed out after 10m'),
    fault: 'user_code',
    retryable: true,
    status: 500,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new EnvironmentError('the server is shutting down', hint),
    fault: 'environment',
    retryable: true,
    status: 503,
    apiMessage: true,
    exit: 1,
    note: RETRY_NOTE,
  },
  {
    error: corrupted,
    fault: 'environment',
    retryable: false,
    status: 500,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new AttemptSupersededError(3, 4),
    fault: 'environment',
    retryable: false,
    status: 500,
    apiMessage: true,
    exit: 1,
    note: undefined,
  },
  {
    error: new InvariantError('steps out of order', hint),
    fault: 'bug',
    retryable: false,
    status: 500,
    apiMessage: false,
    exit: 1,
    note: BUG_NOTE,
  },
  {
    error: new TypeError('x is undefined'),
    fault: 'bug',
    retryable: false,
    status: 500,
    apiMessage: false,
    exit: 1,
    note: BUG_NOTE,
  },
];

function capture(): { io: CliIo; stderr: () => string } {
  let stderr = '';
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    cwd: '/',
  };
  return { io, stderr: () => stderr };
}

const name = (row: Row): string => `${row.error.name}(${row.fault})`;

describe('faults', () => {
  it('covers every fault', () => {
    expect(new Set(rows.map((row) => row.fault))).toEqual(new Set(FAULTS));
  });

  it.each(rows.map((row) => [name(row), row] as const))('%s: fault and retryable', (_, row) => {
    const strata = row.error instanceof StrataError ? row.error : undefined;
    expect(strata?.fault ?? 'bug').toBe(row.fault);
    expect(strata?.retryable ?? false).toBe(row.retryable);
    expect(isUserFacingError(row.error)).toBe(row.fault !== 'bug');
  });

  it.each(rows.map((row) => [name(row), row] as const))('%s: API status and body', (_, row) => {
    const api = toApiError(row.error, 'field_x');
    expect(api.status).toBe(row.status);
    const body = api.toBody().error;
    expect(body.message).toBe(row.apiMessage ? row.error.message : 'internal server error');
    // Only the caller's input names the request field at fault.
    const blamesField = row.fault === 'usage' || row.fault === 'not_found';
    expect(body.field).toBe(blamesField ? 'field_x' : undefined);
  });

  it.each(rows.map((row) => [name(row), row] as const))(
    '%s: CLI exit status and text',
    (_, row) => {
      const out = capture();
      expect(reportError(out.io, row.error, { json: false, verbose: false })).toBe(row.exit);
      const strata = row.error instanceof StrataError ? row.error : undefined;
      const showsHint = row.fault !== 'bug' && strata?.hint !== undefined;
      expect(out.stderr()).toBe(
        [
          `error: ${row.error.message}`,
          ...(showsHint ? [`hint: ${strata!.hint}`] : []),
          ...(row.note === undefined ? [] : [row.note]),
          '',
        ].join('\n'),
      );
      const json = capture();
      expect(reportError(json.io, row.error, { json: true, verbose: false })).toBe(row.exit);
      expect(JSON.parse(json.stderr())).toEqual({
        error: {
          type: row.error.name,
          fault: row.fault,
          ...(row.retryable ? { retryable: true } : {}),
          message: row.error.message,
          ...(showsHint ? { hint: strata!.hint } : {}),
        },
      });
    },
  );
});
