// Parsing artifact identifiers: a reference, 'sha256:<hex>' or bare hex, validated strictly
// before any path is built from it, so an identifier can never name a file outside the store.
import type { ArtifactRef } from '../definitions/index.js';
import { UsageError } from '../errors.js';
import { quoteInput } from './quote-input.js';

/** The only accepted form: exactly 64 lowercase hex digits (what sha256Hex produces). */
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The prefix of artifact ids in references ('sha256:<hex>'). */
export const ARTIFACT_ID_PREFIX = 'sha256:';

/** How to write an artifact id, shown under every parse error. */
const ID_HINT = `Pass an ArtifactRef, '${ARTIFACT_ID_PREFIX}<64 hex digits>' or 64 hex digits.`;

/** Something that identifies an artifact: a reference, 'sha256:<hex>' or 64 bare hex digits. */
export type ArtifactId = ArtifactRef | string;

/** Returns the 64 lowercase hex digits of an artifact id; throws a UsageError when malformed. */
export function parseArtifactHash(id: ArtifactId): string {
  const text: unknown =
    typeof id === 'string' ? id : (id as { artifact?: unknown } | null)?.artifact;
  if (typeof text !== 'string') {
    throw new UsageError(
      `invalid artifact id: expected a reference or a string, got ${typeof text}`,
      {
        hint: ID_HINT,
      },
    );
  }
  const hex = text.startsWith(ARTIFACT_ID_PREFIX) ? text.slice(ARTIFACT_ID_PREFIX.length) : text;
  if (!SHA256_HEX.test(hex)) {
    throw new UsageError(`invalid artifact id ${quoteInput(text)}: ${hashProblem(hex)}`, {
      hint: ID_HINT,
    });
  }
  return hex;
}

/** The 'sha256:<hex>' id of a hex digest. */
export function artifactId(hex: string): string {
  return `${ARTIFACT_ID_PREFIX}${hex}`;
}

/** Why `hex` is not a sha256 digest, in words. */
function hashProblem(hex: string): string {
  if (hex.length !== 64) return `expected 64 hex digits, got ${hex.length} characters`;
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return 'hex digits must be lowercase';
  return 'expected only the hex digits 0-9 and a-f';
}
