// The local store's file modes, checked on real files: private to the owner (0600 and 0700)
// whatever the umask, shared with the group on purpose (setgid directories), chosen by option
// or STRATA_ARTIFACT_STORE_MODE (a bad value is refused naming the variable), and a store
// created with the old modes (0644 and 0755) keeps working as it is.
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LocalArtifactStore,
  openArtifactStore,
  type StoreSharing,
} from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { UsageError } from '../../src/errors.js';

let dir: string;
let savedUmask: number;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strata-modes-'));
  savedUmask = process.umask();
});

afterEach(async () => {
  process.umask(savedUmask);
  await rm(dir, { recursive: true, force: true });
});

/** The permission bits (setgid included) of `file`. */
async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o7777;
}

/** A readable mode for failure messages. */
function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** One artifact put from bytes and one streamed, so both ways of writing are checked. */
async function putBoth(store: LocalArtifactStore): Promise<ArtifactRef[]> {
  const bytes = await store.put('from bytes', { name: 'a.txt' });
  const streamed = await store.putStream(
    (async function* () {
      yield Buffer.from('from a stream');
    })(),
    { name: 'b.txt' },
  );
  return [bytes, streamed];
}

/** The directories of the store an artifact's file lies in: root, sha256/, sha256/<2 hex>/. */
function directoriesOf(store: LocalArtifactStore, ref: ArtifactRef): string[] {
  const fanout = path.dirname(store.pathOf(ref));
  return [store.root, path.dirname(fanout), fanout];
}

/** Expects every file and directory of `refs` to have exactly the given modes. */
async function expectModes(
  store: LocalArtifactStore,
  refs: readonly ArtifactRef[],
  modes: { file: number; directory: number },
): Promise<void> {
  for (const ref of refs) {
    expect(octal(await modeOf(store.pathOf(ref))), ref.name).toBe(octal(modes.file));
    for (const directory of directoriesOf(store, ref)) {
      expect(octal(await modeOf(directory)), directory).toBe(octal(modes.directory));
    }
  }
}

describe('a private store (the default)', () => {
  it.each([0o022, 0o077, 0o002])(
    'creates files 0600 and directories 0700 under umask 0%o',
    async (umask) => {
      process.umask(umask);
      const store = new LocalArtifactStore(path.join(dir, 'nested', 'artifacts'));
      expect(store.sharing).toBe('private');
      await expectModes(store, await putBoth(store), { file: 0o600, directory: 0o700 });
      expect(octal(await modeOf(path.join(dir, 'nested')))).toBe(octal(0o700));
    },
  );

  it('keeps working in a store created with the old modes, leaving them as they are', async () => {
    process.umask(0o022);
    const store = new LocalArtifactStore(path.join(dir, 'artifacts'));
    const [old] = await putBoth(store);
    for (const directory of directoriesOf(store, old!)) await chmod(directory, 0o755);
    await chmod(store.pathOf(old!), 0o644);

    const reopened = new LocalArtifactStore(store.root);
    expect((await reopened.read(old!)).toString()).toBe('from bytes');
    await reopened.put('from bytes', { name: 'a.txt' });
    expect(octal(await modeOf(reopened.pathOf(old!)))).toBe(octal(0o644));
    const added = await reopened.put('added later', { name: 'c.txt' });
    expect(octal(await modeOf(reopened.pathOf(added)))).toBe(octal(0o600));
    expect(octal(await modeOf(reopened.root))).toBe(octal(0o755));
  });
});

describe('a store shared on purpose', () => {
  const cases: ReadonlyArray<{ sharing: StoreSharing; file: number; directory: number }> = [
    { sharing: 'group', file: 0o640, directory: 0o2770 },
    { sharing: 'group-read', file: 0o640, directory: 0o2750 },
  ];

  it.each(cases)(
    '$sharing: files and setgid directories of exactly its modes, under umask 022 and 077',
    async ({ sharing, file, directory }) => {
      for (const umask of [0o022, 0o077]) {
        process.umask(umask);
        const store = new LocalArtifactStore(path.join(dir, `${sharing}-${umask}`), { sharing });
        await expectModes(store, await putBoth(store), { file, directory });
      }
    },
  );

  it('is chosen by STRATA_ARTIFACT_STORE_MODE, for the default store and a configured one', async () => {
    const base = { defaultDirectory: path.join(dir, 'default'), cwd: dir };
    const byDefault = await openArtifactStore({ ...base, env: {} });
    expect((byDefault as LocalArtifactStore).sharing).toBe('private');
    const shared = await openArtifactStore({
      ...base,
      location: 'shared',
      env: { STRATA_ARTIFACT_STORE_MODE: 'group' },
    });
    expect(shared).toBeInstanceOf(LocalArtifactStore);
    expect((shared as LocalArtifactStore).sharing).toBe('group');
    process.umask(0o077);
    const ref = await shared.put('x', { name: 'x.txt' });
    expect(octal(await modeOf((shared as LocalArtifactStore).pathOf(ref)))).toBe(octal(0o640));
  });

  it('refuses a bad STRATA_ARTIFACT_STORE_MODE, naming the variable and the choices', async () => {
    const error = await openArtifactStore({
      defaultDirectory: path.join(dir, 'default'),
      cwd: dir,
      env: { STRATA_ARTIFACT_STORE_MODE: 'world' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'invalid STRATA_ARTIFACT_STORE_MODE "world": expected one of private, group, group-read',
    );
  });
});
