// Garbage collection of an artifact store: walks the store page by page and sorts each artifact
// into referenced (by the database), recent (stored at or after the cutoff: a running step may
// still write or record it), a tool's output (stored while a tool call ran: the tool server may
// replay a reference to it) or garbage; a dry run only counts the garbage, a real one deletes it
// one artifact at a time, each delete re-checking the artifact's time of storage so a put of the
// same content meanwhile keeps it. Conservative by design: any doubt keeps an artifact.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { parseArtifactHash } from './artifact-hash.js';
import type { ArtifactStore, StoredArtifact } from './artifact-store.js';
import { gcCutoff, type RunningWork } from './gc-cutoff.js';
import { referencedArtifacts, type ReferencedArtifacts } from './referenced-artifacts.js';
import { toolCallWindows, type TimeWindows } from './tool-call-windows.js';

/** Artifacts checked against the database at once. */
const BATCH_SIZE = 1000;

/** How a collection runs. */
export interface GcOptions {
  /** Delete the garbage (false: a dry run that only reports it). */
  readonly delete: boolean;
  /** The grace period: artifacts younger than this are kept. */
  readonly minAgeMs: number;
  readonly now: Date;
  /** How many garbage artifacts to keep as examples. */
  readonly examples: number;
  /** Hears the tally after each artifact deleted. */
  readonly onDeleted?: (tally: GcTally) => void;
}

/** A count of artifacts and their bytes. */
export interface ArtifactCount {
  count: number;
  bytes: number;
}

/** What a collection found and did, updated as it goes (so a failed one still tells). */
export interface GcTally {
  /** Kept: stored at or after this time. */
  storedBefore: Date | undefined;
  running: RunningWork | undefined;
  scanned: ArtifactCount;
  referenced: ArtifactCount;
  recent: ArtifactCount;
  /** Stored while a successful tool call ran. */
  toolOutputs: ArtifactCount;
  /** Unreferenced, older than the cutoff, and no tool's output. */
  garbage: ArtifactCount;
  /** The first few garbage artifacts. */
  examples: StoredArtifact[];
  deleted: ArtifactCount;
  /** Garbage stored again between the listing and its delete: kept. */
  keptOnDelete: number;
  /** Garbage already gone when its delete came. */
  alreadyGone: number;
}

/** A tally of nothing yet. */
export function emptyTally(): GcTally {
  const zero = (): ArtifactCount => ({ count: 0, bytes: 0 });
  return {
    storedBefore: undefined,
    running: undefined,
    scanned: zero(),
    referenced: zero(),
    recent: zero(),
    toolOutputs: zero(),
    garbage: zero(),
    examples: [],
    deleted: zero(),
    keptOnDelete: 0,
    alreadyGone: 0,
  };
}

/** Collects the garbage of `store`, updating `tally` as it goes (a store error is thrown). */
export async function collectGarbage(
  store: ArtifactStore,
  db: Kysely<Database>,
  options: GcOptions,
  tally: GcTally = emptyTally(),
): Promise<GcTally> {
  // The cutoff first, and the references after it: whatever is recorded later was put (or its
  // time of storage refreshed) after the cutoff, so it is recent.
  const cutoff = await gcCutoff(db, options.now, options.minAgeMs);
  tally.storedBefore = cutoff.storedBefore;
  tally.running = cutoff.running;
  const kept: KeptArtifacts = {
    referenced: await referencedArtifacts(db),
    toolOutputs: await toolCallWindows(db),
  };
  let batch: StoredArtifact[] = [];
  for await (const stored of store.list()) {
    batch.push(stored);
    if (batch.length === BATCH_SIZE) {
      await sortBatch(batch, kept, store, options, tally);
      batch = [];
    }
  }
  await sortBatch(batch, kept, store, options, tally);
  return tally;
}

/** What keeps an artifact besides its age. */
interface KeptArtifacts {
  readonly referenced: ReferencedArtifacts;
  readonly toolOutputs: TimeWindows;
}

/** Sorts one batch of listed artifacts, deleting its garbage when asked to. */
async function sortBatch(
  batch: readonly StoredArtifact[],
  kept: KeptArtifacts,
  store: ArtifactStore,
  options: GcOptions,
  tally: GcTally,
): Promise<void> {
  const hexes = batch.map((stored) => parseArtifactHash(stored.artifact));
  const inUse = await kept.referenced.referencedAmong(hexes);
  const storedBefore = tally.storedBefore!;
  for (const [index, stored] of batch.entries()) {
    add(tally.scanned, stored);
    if (inUse.has(hexes[index]!)) add(tally.referenced, stored);
    else if (stored.storedAt >= storedBefore) add(tally.recent, stored);
    else if (kept.toolOutputs.covers(stored.storedAt)) add(tally.toolOutputs, stored);
    else {
      add(tally.garbage, stored);
      if (tally.examples.length < options.examples) tally.examples.push(stored);
      if (options.delete) await deleteGarbage(store, stored, storedBefore, options, tally);
    }
  }
}

/** Deletes one garbage artifact unless it was stored again since the cutoff. */
async function deleteGarbage(
  store: ArtifactStore,
  stored: StoredArtifact,
  storedBefore: Date,
  options: GcOptions,
  tally: GcTally,
): Promise<void> {
  const outcome = await store.delete(stored.artifact, { storedBefore });
  if (outcome === 'deleted') add(tally.deleted, stored);
  else if (outcome === 'kept') tally.keptOnDelete += 1;
  else tally.alreadyGone += 1;
  options.onDeleted?.(tally);
}

/** Counts `stored` into `count`. */
function add(count: ArtifactCount, stored: StoredArtifact): void {
  count.count += 1;
  count.bytes += stored.size;
}
