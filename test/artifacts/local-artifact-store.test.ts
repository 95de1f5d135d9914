// The local artifact store: the ArtifactStore contract (artifact-store-contract.ts), and what is
// its own: the file layout, atomic concurrent writes, no temp files left, strict validation of
// ids and names, and finding references.
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArtifactIntegrityError,
  collectArtifactRefs,
  LocalArtifactStore,
} from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { NotFoundError, UsageError } from '../../src/errors.js';
import { sha256Hex } from '../../src/util/canonical-json.js';
import { runArtifactStoreContract } from './artifact-store-contract.js';

runArtifactStoreContract('local directory', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'strata-artifacts-'));
  const local = new LocalArtifactStore(path.join(root, 'artifacts'));
  return {
    store: local,
    corrupt: (ref, bytes) => writeFile(local.pathOf(ref), bytes),
    backdate: (ref, storedAt) => utimes(local.pathOf(ref), storedAt, storedAt),
    async unreachable() {
      // A store whose root lies under a regular file: every write and read fails (ENOTDIR).
      await writeFile(path.join(root, 'a-file'), '');
      return new LocalArtifactStore(path.join(root, 'a-file', 'artifacts'));
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
});

let dir: string;
let store: LocalArtifactStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strata-artifacts-'));
  store = new LocalArtifactStore(path.join(dir, 'artifacts'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `root`, relative to it, sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('put and read', () => {
  it('round-trips strings and bytes under sha256/<2 hex>/<hex>', async () => {
    const content = 'x,y\n1,2\n';
    const hex = sha256Hex(content);
    const ref = await store.put(content, { name: 'points.csv' });
    expect(ref).toEqual({
      artifact: `sha256:${hex}`,
      name: 'points.csv',
      size: Buffer.byteLength(content),
      contentType: 'text/csv; charset=utf-8',
    });
    expect(store.pathOf(ref)).toBe(path.join(store.root, 'sha256', hex.slice(0, 2), hex));
    expect((await store.read(ref)).toString('utf8')).toBe(content);
    expect((await store.read(ref.artifact)).toString('utf8')).toBe(content);
    expect((await store.read(hex)).toString('utf8')).toBe(content);

    const bytes = new Uint8Array([0, 1, 2, 255]);
    const binary = await store.put(bytes, { name: 'blob' });
    expect(binary.contentType).toBe('application/octet-stream');
    expect([...(await store.read(binary))]).toEqual([0, 1, 2, 255]);
  });

  it.each([
    ['design.json', 'application/json'],
    ['part.SVG', 'image/svg+xml'],
    ['mesh.vtk', 'application/octet-stream'],
    ['outline.dxf', 'image/vnd.dxf'],
    ['report.html', 'text/html; charset=utf-8'],
    ['no-extension', 'application/octet-stream'],
  ])('derives the content type of %s', async (name, contentType) => {
    expect((await store.put('x', { name })).contentType).toBe(contentType);
  });

  it('keeps an explicit content type', async () => {
    const ref = await store.put('{}', { name: 'a.bin', contentType: 'application/json' });
    expect(ref.contentType).toBe('application/json');
  });

  it('stores the same content once and gives the same reference', async () => {
    const first = await store.put('same', { name: 'a.txt' });
    const second = await store.put('same', { name: 'a.txt' });
    expect(second).toEqual(first);
    expect(await filesUnder(store.root)).toHaveLength(1);
  });

  it('leaves no temp file after streamed puts, new or already stored', async () => {
    const source = async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from('streamed ');
      yield Buffer.from('content');
    };
    const ref = await store.putStream(source(), { name: 'a.txt' });
    await store.putStream(source(), { name: 'a.txt' });
    const hex = sha256Hex('streamed content');
    expect(ref.artifact).toBe(`sha256:${hex}`);
    expect(await filesUnder(store.root)).toEqual([path.join('sha256', hex.slice(0, 2), hex)]);
  });

  it('survives 20 concurrent puts of the same content with one file and no temp files', async () => {
    const content = 'y'.repeat(100_000);
    const refs = await Promise.all(
      Array.from({ length: 20 }, () => store.put(content, { name: 'big.txt' })),
    );
    expect(new Set(refs.map((ref) => ref.artifact)).size).toBe(1);
    const hex = sha256Hex(content);
    expect(await filesUnder(store.root)).toEqual([path.join('sha256', hex.slice(0, 2), hex)]);
    expect((await store.read(hex)).toString()).toBe(content);
  });

  it('repairs an existing file whose size is wrong', async () => {
    const ref = await store.put('complete content', { name: 'a.txt' });
    await writeFile(store.pathOf(ref), 'trunc');
    await store.put('complete content', { name: 'a.txt' });
    expect((await store.read(ref)).toString()).toBe('complete content');
  });

  it('reports has() and stat()', async () => {
    const ref = await store.put('abc', { name: 'a.txt' });
    expect(await store.has(ref)).toBe(true);
    expect(await store.stat(ref)).toMatchObject({ artifact: ref.artifact, size: 3 });
    const other = sha256Hex('never stored');
    expect(await store.has(other)).toBe(false);
    expect(await store.stat(other)).toBeUndefined();
  });
});

describe('list', () => {
  it('lists only artifact files: no temp files of writes in progress, no stray files', async () => {
    const ref = await store.put('listed', { name: 'a.txt' });
    const fanout = path.dirname(store.pathOf(ref));
    await writeFile(path.join(fanout, '.tmp-123-abcdef'), 'in progress');
    await writeFile(path.join(store.root, 'sha256', '.tmp-456-abcdef'), 'spooling');
    await writeFile(path.join(store.root, 'sha256', 'README'), 'not an artifact');
    await writeFile(path.join(fanout, sha256Hex('elsewhere')), 'in the wrong fan-out directory');
    const listed: string[] = [];
    for await (const stored of store.list()) listed.push(stored.artifact);
    expect(listed).toEqual([ref.artifact]);
  });

  it('lists nothing in a store never written to', async () => {
    const listed: unknown[] = [];
    for await (const stored of new LocalArtifactStore(path.join(dir, 'none')).list()) {
      listed.push(stored);
    }
    expect(listed).toEqual([]);
  });
});

describe('integrity', () => {
  it('rejects a tampered file, naming the artifact and both hashes', async () => {
    const ref = await store.put('original', { name: 'result.json' });
    const hex = ref.artifact.slice('sha256:'.length);
    await writeFile(store.pathOf(ref), 'tampered');
    const error = await rejection(store.read(ref));
    expect(error).toBeInstanceOf(ArtifactIntegrityError);
    expect(error.message).toContain(`sha256:${hex}`);
    expect(error.message).toContain(`sha256:${sha256Hex('tampered')}`);
    expect(error.message).toContain('"result.json"');
    expect(error).toMatchObject({ expectedHash: hex, actualHash: sha256Hex('tampered') });
  });

  it('names the hash and the root of a missing artifact', async () => {
    const hex = sha256Hex('never stored');
    const error = await rejection(store.read(hex));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain(`sha256:${hex}`);
    expect(error.message).toContain(store.root);
  });

  it('streams verified content', async () => {
    const content = 'z'.repeat(300_000);
    const ref = await store.put(content, { name: 'big.txt' });
    expect(await text(await store.openReadStream(ref))).toBe(content);
  });

  it('fails the stream at its end when the file was tampered with', async () => {
    const ref = await store.put('z'.repeat(300_000), { name: 'big.txt' });
    await writeFile(store.pathOf(ref), 'w'.repeat(300_000));
    const error = await rejection(text(await store.openReadStream(ref)));
    expect(error).toBeInstanceOf(ArtifactIntegrityError);
    expect(error.message).toContain(ref.artifact);
  });

  it('rejects a stream of a missing artifact before streaming', async () => {
    const error = await rejection(store.openReadStream(sha256Hex('never stored')));
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('validation', () => {
  const valid = sha256Hex('x');
  const badIds: ReadonlyArray<{ id: string; message: RegExp }> = [
    { id: '../../etc/passwd', message: /invalid artifact id "\.\.\/\.\.\/etc\/passwd"/ },
    { id: `sha256:../../${valid.slice(6)}`, message: /only the hex digits/ },
    { id: 'sha256:zz', message: /expected 64 hex digits, got 2 characters/ },
    { id: valid.slice(1), message: /expected 64 hex digits, got 63 characters/ },
    { id: `${valid}0`, message: /got 65 characters/ },
    { id: valid.toUpperCase(), message: /must be lowercase/ },
    { id: `sha512:${valid}`, message: /invalid artifact id/ },
    { id: `/${valid.slice(1)}`, message: /only the hex digits/ },
    { id: '', message: /got 0 characters/ },
  ];

  it.each(badIds)(
    'rejects the id $id everywhere, before touching the disk',
    async ({ id, message }) => {
      expect(() => store.pathOf(id)).toThrow(message);
      for (const attempt of [
        store.read(id),
        store.has(id),
        store.stat(id),
        store.openReadStream(id),
      ]) {
        const error = await rejection(attempt);
        expect(error).toBeInstanceOf(UsageError);
        expect(error.message).toMatch(message);
      }
    },
  );

  it('rejects a reference whose artifact field is malformed', async () => {
    const ref: ArtifactRef = { artifact: 'sha256:../x', name: 'a', size: 1, contentType: 'x' };
    await expect(store.read(ref)).rejects.toThrow(/invalid artifact id "sha256:\.\.\/x"/);
  });

  const badNames: ReadonlyArray<{ name: string; message: RegExp }> = [
    { name: '', message: /invalid artifact name "": must not be empty/ },
    { name: 'a/b.txt', message: /must not contain a path separator/ },
    { name: '..\\evil', message: /must not contain a path separator/ },
    { name: 'a\0b', message: /must not contain a NUL character/ },
    { name: '.', message: /must not be '\.'/ },
    { name: '..', message: /must not be '\.\.'/ },
    { name: 'n'.repeat(256), message: /at most 255 characters, got 256/ },
  ];

  it.each(badNames)('rejects the name $name and writes nothing', async ({ name, message }) => {
    const error = await rejection(store.put('content', { name }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(message);
    expect(await readdir(dir)).toEqual([]);
  });

  it('accepts a 255-character name', async () => {
    await expect(store.put('content', { name: 'n'.repeat(255) })).resolves.toBeDefined();
  });

  it('rejects an empty content type', async () => {
    await expect(store.put('x', { name: 'a.txt', contentType: ' ' })).rejects.toThrow(
      /invalid artifact contentType for "a\.txt"/,
    );
  });
});

describe('collectArtifactRefs', () => {
  const ref = (content: string, name: string): ArtifactRef => ({
    artifact: `sha256:${sha256Hex(content)}`,
    name,
    size: content.length,
    contentType: 'text/plain',
  });
  const a = ref('a', 'a.txt');
  const b = ref('b', 'b.txt');
  const aRenamed = ref('a', 'copy-of-a.txt');

  it('finds nested references in arrays and objects, deduplicated, in a stable order', () => {
    const value = {
      z: [{ deep: { file: b } }, a],
      a: { list: [a, aRenamed, null, 3, 'sha256:abc'] },
      scalar: 1,
    };
    expect(collectArtifactRefs(value)).toEqual([a, aRenamed, b]);
    const reordered = { scalar: 1, a: value.a, z: value.z };
    expect(collectArtifactRefs(reordered)).toEqual(collectArtifactRefs(value));
  });

  it('ignores look-alikes', () => {
    const lookAlikes = [
      { ...a, artifact: 'sha256:zz' },
      { ...a, artifact: `sha256:${sha256Hex('a').toUpperCase()}` },
      { ...a, artifact: sha256Hex('a') },
      { ...a, name: '' },
      { ...a, size: -1 },
      { artifact: a.artifact, name: a.name },
    ];
    expect(collectArtifactRefs({ lookAlikes })).toEqual([]);
  });

  it('returns nothing for scalars and empty values', () => {
    expect(collectArtifactRefs(null)).toEqual([]);
    expect(collectArtifactRefs(42)).toEqual([]);
    expect(collectArtifactRefs([])).toEqual([]);
  });

  it('strips extra fields from a reference', () => {
    expect(collectArtifactRefs([{ ...a, extra: true }])).toEqual([a]);
  });
});
