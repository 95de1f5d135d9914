// The behaviour every ArtifactStore backend must have, as one suite run per backend (as Kysely
// runs its tests per dialect): round trips, idempotent puts, has and stat, sizes and content
// types, integrity failures, missing artifacts, streaming a file much larger than the memory a
// put or read may hold, failures of the source stream, listing and deleting (what the garbage
// collector needs, a fresh put protecting an artifact included), and an unreachable store.
import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArtifactIntegrityError,
  ArtifactStoreError,
  type ArtifactStore,
} from '../../src/artifacts/index.js';
import type { ArtifactRef } from '../../src/definitions/index.js';
import { NotFoundError, UsageError } from '../../src/errors.js';
import { sha256Hex } from '../../src/util/canonical-json.js';

/** One backend under test: a fresh store and what the suite needs to do behind its back. */
export interface ArtifactStoreHarness {
  readonly store: ArtifactStore;
  /** Overwrites the stored bytes of `ref` directly (a file write, an S3 PutObject). */
  corrupt(ref: ArtifactRef, bytes: Uint8Array): Promise<void>;
  /** Sets the time `ref` was stored behind the store's back (a file's or an object's mtime). */
  backdate(ref: ArtifactRef, storedAt: Date): Promise<void>;
  /** The content type the backend keeps with the object, if it keeps one. */
  storedContentType?(ref: ArtifactRef): Promise<string | undefined>;
  /** A store of the same kind that cannot be reached or written. */
  unreachable(): Promise<ArtifactStore>;
  /** Secrets that must never appear in an error message (credentials). */
  readonly secrets?: readonly string[];
  /** Removes what the harness made. */
  close(): Promise<void>;
}

/** Size of the streamed artifact: far more than the budget below. */
const LARGE_SIZE = 64 * 1024 * 1024;
/** Most buffer memory a streamed put or read may hold at once. */
const MEMORY_BUDGET = 40 * 1024 * 1024;
/** How often live buffer memory is sampled. */
const SAMPLE_MS = 100;
/** Chunk size of the streamed source. */
const CHUNK_SIZE = 256 * 1024;

/** Runs the contract against the backend `newHarness` makes (one fresh harness per test). */
export function runArtifactStoreContract(
  backend: string,
  newHarness: () => Promise<ArtifactStoreHarness>,
): void {
  describe(`ArtifactStore contract: ${backend}`, () => {
    let harness: ArtifactStoreHarness;
    let store: ArtifactStore;

    beforeEach(async () => {
      harness = await newHarness();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.close();
    });

    it('round-trips strings and bytes, by reference, id and hex', async () => {
      const content = 'x,y\n1,2\n';
      const hex = sha256Hex(content);
      const ref = await store.put(content, { name: 'points.csv' });
      expect(ref).toEqual({
        artifact: `sha256:${hex}`,
        name: 'points.csv',
        size: Buffer.byteLength(content),
        contentType: 'text/csv; charset=utf-8',
      });
      for (const id of [ref, ref.artifact, hex]) {
        expect((await store.read(id)).toString('utf8')).toBe(content);
      }
      expect(await text(await store.openReadStream(ref))).toBe(content);

      const binary = await store.put(new Uint8Array([0, 1, 2, 255]), { name: 'blob' });
      expect(binary.contentType).toBe('application/octet-stream');
      expect([...(await store.read(binary))]).toEqual([0, 1, 2, 255]);
    });

    it('keeps sizes and content types', async () => {
      const json = await store.put('{"a":1}', { name: 'a.bin', contentType: 'application/json' });
      expect(json).toMatchObject({ size: 7, contentType: 'application/json' });
      const svg = await store.put('<svg/>', { name: 'part.SVG' });
      expect(svg.contentType).toBe('image/svg+xml');
      const streamed = await store.putStream(chunks(['a', 'bc']), { name: 'notes.txt' });
      expect(streamed).toMatchObject({ size: 3, contentType: 'text/plain; charset=utf-8' });
      expect((await store.stat(json))?.size).toBe(7);
      expect((await store.stat(streamed))?.size).toBe(3);
      if (harness.storedContentType) {
        expect(await harness.storedContentType(json)).toBe('application/json');
        expect(await harness.storedContentType(streamed)).toBe('text/plain; charset=utf-8');
      }
    });

    it('stores the same content once, from bytes or a stream, and gives the same reference', async () => {
      const first = await store.put('same', { name: 'a.txt' });
      const second = await store.put('same', { name: 'a.txt' });
      const streamed = await store.putStream(chunks(['sa', 'me']), { name: 'a.txt' });
      expect(second).toEqual(first);
      expect(streamed).toEqual(first);
      expect((await store.read(first)).toString()).toBe('same');
      expect(await listed(store)).toEqual([{ artifact: first.artifact, size: 4 }]);
    });

    it('refreshes the time of storage when the same content is put again', async () => {
      const ref = await store.put('again', { name: 'a.txt' });
      const dayAgo = new Date(Date.now() - DAY_MS);
      const hourAgo = new Date(Date.now() - HOUR_MS);
      await harness.backdate(ref, dayAgo);
      expect((await store.stat(ref))!.storedAt.getTime()).toBeLessThan(hourAgo.getTime());
      await store.put('again', { name: 'a.txt' });
      expect((await store.stat(ref))!.storedAt.getTime()).toBeGreaterThan(hourAgo.getTime());
      await harness.backdate(ref, dayAgo);
      await store.putStream(chunks(['aga', 'in']), { name: 'a.txt' });
      expect((await store.stat(ref))!.storedAt.getTime()).toBeGreaterThan(hourAgo.getTime());
      expect(await store.delete(ref, { storedBefore: hourAgo })).toBe('kept');
      expect((await store.read(ref)).toString()).toBe('again');
    });

    it('lists every stored artifact with its size and time of storage', async () => {
      const before = Date.now() - HOUR_MS;
      const refs = [
        await store.put('one', { name: 'one.txt' }),
        await store.put(new Uint8Array([1, 2]), { name: 'two.bin' }),
        await store.putStream(chunks(['thr', 'ee!']), { name: 'three.txt' }),
      ];
      const expected = refs
        .map((ref) => ({ artifact: ref.artifact, size: ref.size }))
        .sort((a, b) => a.artifact.localeCompare(b.artifact));
      expect(await listed(store)).toEqual(expected);
      for await (const stored of store.list()) {
        expect(stored.storedAt.getTime()).toBeGreaterThan(before);
      }
    });

    it('deletes an artifact, and tells when there was none', async () => {
      const gone = await store.put('to delete', { name: 'gone.txt' });
      const kept = await store.put('to keep', { name: 'kept.txt' });
      expect(await store.delete(gone)).toBe('deleted');
      expect(await store.has(gone)).toBe(false);
      expect(await rejection(store.read(gone))).toBeInstanceOf(NotFoundError);
      expect(await store.delete(gone.artifact)).toBe('absent');
      expect((await store.read(kept)).toString()).toBe('to keep');
      expect(await listed(store)).toEqual([{ artifact: kept.artifact, size: kept.size }]);
      // Deleted content can be stored again.
      await store.put('to delete', { name: 'gone.txt' });
      expect((await store.read(gone)).toString()).toBe('to delete');
    });

    it('deletes with storedBefore only an artifact stored before that time', async () => {
      const ref = await store.put('aged', { name: 'aged.txt' });
      await harness.backdate(ref, new Date(Date.now() - DAY_MS));
      expect(await store.delete(ref, { storedBefore: new Date(Date.now() - 2 * DAY_MS) })).toBe(
        'kept',
      );
      expect((await store.read(ref)).toString()).toBe('aged');
      expect(await store.delete(ref, { storedBefore: new Date(Date.now() - HOUR_MS) })).toBe(
        'deleted',
      );
      expect(await store.has(ref)).toBe(false);
    });

    it('survives concurrent puts of the same content, from bytes and streams', async () => {
      const content = 'y'.repeat(200_000);
      const refs = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2 === 0
            ? store.put(content, { name: 'big.txt' })
            : store.putStream(chunks([content.slice(0, 1000), content.slice(1000)]), {
                name: 'big.txt',
              }),
        ),
      );
      expect(new Set(refs.map((ref) => ref.artifact)).size).toBe(1);
      expect((await store.read(refs[0]!)).toString()).toBe(content);
    });

    it('tells has() and stat(), without reading content', async () => {
      const ref = await store.put('abc', { name: 'a.txt' });
      expect(await store.has(ref)).toBe(true);
      const stat = await store.stat(ref);
      expect(stat).toMatchObject({ artifact: ref.artifact, size: 3 });
      expect(stat?.storedAt).toBeInstanceOf(Date);
      expect(stat?.location).toContain(ref.artifact.slice('sha256:'.length));
      const other = sha256Hex('never stored');
      expect(await store.has(other)).toBe(false);
      expect(await store.stat(other)).toBeUndefined();
    });

    it('rejects corrupted bytes, read whole or streamed, naming both hashes', async () => {
      const ref = await store.put('original', { name: 'result.json' });
      const hex = ref.artifact.slice('sha256:'.length);
      await harness.corrupt(ref, Buffer.from('tampered'));
      const error = await rejection(store.read(ref));
      expect(error).toBeInstanceOf(ArtifactIntegrityError);
      expect(error).toMatchObject({ expectedHash: hex, actualHash: sha256Hex('tampered') });
      expect(error.message).toContain('"result.json"');
      const streamed = await rejection(text(await store.openReadStream(ref)));
      expect(streamed).toBeInstanceOf(ArtifactIntegrityError);
    });

    it('repairs a stored object of the wrong size on the next put', async () => {
      const ref = await store.put('complete content', { name: 'a.txt' });
      await harness.corrupt(ref, Buffer.from('trunc'));
      await store.put('complete content', { name: 'a.txt' });
      expect((await store.read(ref)).toString()).toBe('complete content');
    });

    it('names the hash and the store of a missing artifact', async () => {
      const hex = sha256Hex('never stored');
      for (const attempt of [() => store.read(hex), () => store.openReadStream(hex)]) {
        const error = await rejection(attempt());
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error.message).toContain(`sha256:${hex}`);
        expect(error.message).toContain(store.location);
      }
    });

    it('rejects malformed ids and names before touching the store', async () => {
      for (const attempt of [
        () => store.read('../x'),
        () => store.has('sha256:zz'),
        () => store.stat(''),
        () => store.delete('../../etc/passwd'),
      ]) {
        expect(await rejection(attempt())).toBeInstanceOf(UsageError);
      }
      expect(await rejection(store.put('x', { name: 'a/b' }))).toBeInstanceOf(UsageError);
      expect(await rejection(store.putStream(chunks(['x']), { name: '' }))).toBeInstanceOf(
        UsageError,
      );
    });

    it('passes a failing source stream through as it is, storing nothing', async () => {
      const failure = new Error('the solver crashed');
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('partial');
        throw failure;
      }
      expect(await rejection(store.putStream(failing(), { name: 'out.vtk' }))).toBe(failure);
      expect(await store.has(sha256Hex('partial'))).toBe(false);
    });

    it(`streams ${LARGE_SIZE / 2 ** 20} MiB in and out within ${MEMORY_BUDGET / 2 ** 20} MiB`, async () => {
      const expected = createHash('sha256');
      const memory = new PeakMemory();
      const ref = await store.putStream(largeSource(expected), { name: 'mesh.vtk' });
      const hex = expected.digest('hex');
      expect(ref).toMatchObject({ artifact: `sha256:${hex}`, size: LARGE_SIZE });
      const actual = createHash('sha256');
      let size = 0;
      for await (const chunk of await store.openReadStream(ref)) {
        actual.update(chunk as Buffer);
        size += (chunk as Buffer).byteLength;
      }
      const peak = memory.stop();
      expect(size).toBe(LARGE_SIZE);
      expect(actual.digest('hex')).toBe(hex);
      expect(peak).toBeLessThan(MEMORY_BUDGET);
    }, 120_000);

    it('fails with an environment fault when the store cannot be reached', async () => {
      const unreachable = await harness.unreachable();
      for (const attempt of [
        () => unreachable.put('x', { name: 'a.txt' }),
        () => unreachable.putStream(chunks(['x']), { name: 'a.txt' }),
        () => unreachable.read(sha256Hex('x')),
        () => unreachable.delete(sha256Hex('x')),
        () => listed(unreachable),
      ]) {
        const error = await rejection(attempt());
        expect(error).toBeInstanceOf(ArtifactStoreError);
        expect(error).toMatchObject({ fault: 'environment' });
        expect(error.message).toContain(unreachable.location);
        for (const secret of harness.secrets ?? []) expect(error.message).not.toContain(secret);
      }
    }, 60_000);
  });
}

/** A day and an hour, in ms. */
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The artifacts list() gives, with their sizes, sorted by id. */
async function listed(store: ArtifactStore): Promise<{ artifact: string; size: number }[]> {
  const found: { artifact: string; size: number }[] = [];
  for await (const { artifact, size } of store.list()) found.push({ artifact, size });
  return found.sort((a, b) => a.artifact.localeCompare(b.artifact));
}

/** A source of the given string chunks. */
async function* chunks(parts: readonly string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

/** LARGE_SIZE bytes of varied content in fresh chunks, hashed into `hash` as they go. */
async function* largeSource(hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < LARGE_SIZE; offset += CHUNK_SIZE) {
    const chunk = Buffer.alloc(CHUNK_SIZE, offset % 251);
    chunk.writeUInt32BE(offset, 0);
    hash.update(chunk);
    yield chunk;
  }
}

/** V8's garbage collector, exposed at run time (as --expose-gc would). */
const collectGarbage = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Samples the buffer memory (outside the JS heap) the process still holds, after collecting
 * garbage so that released chunks do not count, and keeps the peak above where it started.
 */
class PeakMemory {
  readonly #start: number;
  #peak = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#start = PeakMemory.#live();
    this.#timer = setInterval(() => this.#sample(), SAMPLE_MS);
  }

  static #live(): number {
    collectGarbage();
    return process.memoryUsage().arrayBuffers;
  }

  #sample(): void {
    this.#peak = Math.max(this.#peak, PeakMemory.#live() - this.#start);
  }

  /** Stops sampling; the peak growth in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#peak;
  }
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
