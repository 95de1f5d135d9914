// Builds the lineage UI to dist/lineage: one minified ES module bundle and one stylesheet, both
// named by content hash (so browsers may cache them), and index.html pointing at them.
// Run by `npm run build`; `--watch` rebuilds on change.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'dist', 'lineage');

/** `name-<hash of content>.extension`. */
function hashedName(name: string, extension: string, content: string | Uint8Array): string {
  return `${name}-${createHash('sha256').update(content).digest('hex').slice(0, 10)}.${extension}`;
}

const result = await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: 'external',
  write: false,
  outdir: outDir,
  logLevel: 'warning',
});
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const script = result.outputFiles.find((file) => file.path.endsWith('.js'));
const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
if (script === undefined || map === undefined) throw new Error('esbuild produced no bundle');
const appFile = hashedName('app', 'js', script.contents);
// The bundle's sourceMappingURL names main.js.map; point it at the hashed map.
await writeFile(
  join(outDir, appFile),
  script.text.replace(/sourceMappingURL=main\.js\.map/, `sourceMappingURL=${appFile}.map`),
);
await writeFile(join(outDir, `${appFile}.map`), map.contents);
const styles = await readFile(join(here, 'src', 'styles.css'));
const stylesFile = hashedName('styles', 'css', styles);
await writeFile(join(outDir, stylesFile), styles);
const html = (await readFile(join(here, 'index.html'), 'utf8'))
  .replace('{{app}}', appFile)
  .replace('{{styles}}', stylesFile);
await writeFile(join(outDir, 'index.html'), html);
console.log(
  `lineage UI built: dist/lineage/${appFile} (${(script.contents.length / 1024).toFixed(0)} KiB)`,
);
