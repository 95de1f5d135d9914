// What a materialization produced, shown rather than linked: its image artifacts (SVG, PNG, JPEG,
// GIF, WebP) drawn inline and its value as pretty JSON, cut at a bounded size. Images are only
// ever <img> elements whose source is the artifact endpoint: an SVG drawn that way cannot run
// script (and the endpoint serves it under a sandboxing Content-Security-Policy besides).
import type { Provenance } from '../api/types.js';
import { h } from '../dom.js';
import { formatBytes } from '../format.js';

/** Value previews longer than this are cut (the full value is one download away). */
export const VALUE_PREVIEW_CHARS = 20_000;

/** Content types drawn inline as images. */
const IMAGE_TYPES = new Set([
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

type Artifact = Provenance['artifacts'][number];

/** Whether an artifact is an image the browser can draw safely. */
export function isPreviewable(artifact: Pick<Artifact, 'contentType'>): boolean {
  const type = artifact.contentType.split(';', 1)[0]!.trim().toLowerCase();
  return IMAGE_TYPES.has(type);
}

/** The image artifacts of `p`, each drawn with its name and a link to open it; null if none. */
export function artifactPreviews(artifacts: readonly Artifact[]): HTMLElement | null {
  const images = artifacts.filter(isPreviewable);
  if (images.length === 0) return null;
  return h(
    'div',
    { class: 'artifact-previews' },
    ...images.map((artifact) =>
      h(
        'figure',
        { class: 'artifact-preview', 'data-artifact': artifact.name },
        h(
          'a',
          { href: artifact.url, target: '_blank', rel: 'noopener', title: `open ${artifact.name}` },
          h('img', {
            src: artifact.url,
            alt: artifact.name,
            loading: 'lazy',
            decoding: 'async',
            referrerpolicy: 'no-referrer',
          }),
        ),
        h(
          'figcaption',
          {},
          artifact.name,
          h(
            'span',
            { class: 'muted' },
            ` · ${artifact.contentType} · ${formatBytes(artifact.size)}`,
          ),
        ),
      ),
    ),
  );
}

/** The value of `p` as pretty JSON (cut beyond VALUE_PREVIEW_CHARS), or a link to its artifact. */
export function valuePreview(
  p: Pick<Provenance, 'value' | 'valueArtifact' | 'valueSize'>,
): HTMLElement {
  if (p.valueArtifact !== null)
    return h(
      'p',
      { class: 'value-artifact' },
      `The value (${formatBytes(p.valueSize)}) is stored as an artifact: `,
      h(
        'a',
        { href: `/api/artifacts/${p.valueArtifact}`, target: '_blank', rel: 'noopener' },
        'open',
      ),
      '.',
    );
  let text = p.value === undefined ? '' : JSON.stringify(p.value, null, 2);
  const cut = text.length > VALUE_PREVIEW_CHARS;
  if (cut) text = `${text.slice(0, VALUE_PREVIEW_CHARS)}\n…`;
  return h(
    'div',
    { class: 'value-preview' },
    h('pre', { class: 'value' }, text),
    cut
      ? h(
          'p',
          { class: 'muted' },
          `Preview cut at ${VALUE_PREVIEW_CHARS.toLocaleString()} characters.`,
        )
      : null,
  );
}
