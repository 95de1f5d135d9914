// Bundles kysely into dist/vendor/kysely.js (one module instead of its 279) and points the
// compiled modules in dist/ at it: loading kysely module by module was the largest part of a
// read-only command's start-up after the definitions (docs/benchmarks.md, "CLI start-up").
// Kysely compares its objects by shape, never by class, so values from a project's own copy of
// kysely (a `sql` fragment, a Kysely instance) still work with strata's. Types (.d.ts) keep
// importing 'kysely', which stays a dependency. Run by `npm run build`, after tsc.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const vendored = path.join(dist, 'vendor', 'kysely.js');
const KYSELY_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*)(['"])kysely\2/g;

await build({
  stdin: { contents: "export * from 'kysely';", resolveDir: dist, loader: 'js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: vendored,
  logLevel: 'warning',
});

let pointing = 0;
for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
  const file = path.join(entry.parentPath, entry.name);
  if (!entry.isFile() || !file.endsWith('.js') || file === vendored) continue;
  const code = await readFile(file, 'utf8');
  let relative = path.relative(path.dirname(file), vendored).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const next = code.replace(KYSELY_IMPORT, (_, keyword: string, quote: string) => {
    return `${keyword}${quote}${relative}${quote}`;
  });
  if (next !== code) await writeFile(file, next);
  if (next.includes(`'${relative}'`)) pointing += 1;
}
// tsc rewrites only the modules it emits again; the others point at the bundle from before.
if (pointing === 0) throw new Error('no module in dist/ imports kysely: is tsc output missing?');
