// A PostgreSQL program that another OS user cannot reach (strata as root runs the embedded server
// as `postgres`; a project under /root or a mkdtemp directory is private): the error names the
// directory to open up instead of blaming the binaries.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.js';
import { runProgram } from '../../src/store/run-program.js';
import { unreachableDirectory } from '../../src/store/unreachable-directory.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'strata-unreachable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** Someone who owns nothing here. */
const STRANGER = { uid: 65534, gid: 65534 };

function layout(privateMode: number): string {
  const project = path.join(root, `project-${privateMode.toString(8)}`);
  mkdirSync(path.join(project, 'bin'), { recursive: true });
  chmodSync(root, 0o755);
  chmodSync(project, privateMode);
  const program = path.join(project, 'bin', 'true');
  copyFileSync('/bin/true', program);
  chmodSync(program, 0o755);
  return program;
}

describe('unreachableDirectory', () => {
  it('names the first directory another user may not enter', async () => {
    const program = layout(0o700);
    expect(await unreachableDirectory(program, STRANGER)).toBe(path.dirname(path.dirname(program)));
  });

  it('finds nothing when every directory may be entered', async () => {
    const program = layout(0o711);
    expect(await unreachableDirectory(program, STRANGER)).toBeUndefined();
  });

  it('judges a directory by its owner bits for its owner', async () => {
    const program = layout(0o700);
    const owner = statSync(path.dirname(path.dirname(program)));
    expect(await unreachableDirectory(program, { uid: owner.uid, gid: owner.gid })).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, running a program as another user under a private directory says which',
    async () => {
      const program = layout(0o700);
      const blocked = path.dirname(path.dirname(program));
      const error = await runProgram(program, [], { cwd: '/', identity: STRANGER }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).message).toContain(`it may not enter ${blocked}`);
      expect((error as EnvironmentError).retryable).toBe(false);
      expect((error as EnvironmentError).hint).toBe(
        `Let other users enter ${blocked} (chmod o+x ${blocked}), move the project out of it, or set DATABASE_URL to use another PostgreSQL server.`,
      );
    },
  );
});
