// Writes a new project's files (project-template.ts) into a directory without losing anything:
// an existing package.json gains only the dependencies and scripts it lacks (and "type":
// "module" when it names no type and no JavaScript of its own would change), an existing
// .gitignore only the lines it lacks; any other existing file is refused (all of them named, and
// nothing written) unless `force` overwrites them.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import {
  GITIGNORE_LINES,
  packageName,
  strataManifest,
  templateFiles,
  templatePackageJson,
} from './project-template.js';

/** What happened to one file. */
export interface ScaffoldedFile {
  readonly path: string;
  readonly action: 'created' | 'overwritten' | 'updated' | 'unchanged';
  /** For `updated`: what was added. */
  readonly added?: readonly string[];
}

/** The outcome of scaffolding `directory`. */
export interface ScaffoldResult {
  readonly directory: string;
  readonly files: readonly ScaffoldedFile[];
  /** Dependencies of the package.json not installed in the directory's node_modules. */
  readonly notInstalled: readonly string[];
}

/** Files merged into rather than replaced when they exist. */
const MERGED = new Set(['package.json', '.gitignore']);

/** Scaffolds a project in `directory` (created if missing). */
export async function scaffoldProject(directory: string, force: boolean): Promise<ScaffoldResult> {
  const strata = strataManifest();
  const name = packageName(path.basename(directory));
  const files = templateFiles(name, directory, strata);
  const conflicts = files.filter(
    (file) => !MERGED.has(file.path) && existsSync(path.join(directory, file.path)),
  );
  if (conflicts.length > 0 && !force) {
    const names = conflicts.map((file) => path.join(directory, file.path));
    throw new UsageError(
      `strata init would overwrite ${names.join(' and ')}: ${conflicts.length === 1 ? 'it exists' : 'they exist'}`,
      { hint: 'move them away, or pass --force to overwrite them' },
    );
  }
  const results: ScaffoldedFile[] = [];
  for (const file of files) {
    const target = path.join(directory, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    if (!existsSync(target)) {
      await writeFile(target, file.content);
      results.push({ path: file.path, action: 'created' });
    } else if (file.path === 'package.json') {
      results.push(await mergePackageJson(target, templatePackageJson(name, directory, strata)));
    } else if (file.path === '.gitignore') {
      results.push(await mergeGitignore(target));
    } else {
      await writeFile(target, file.content);
      results.push({ path: file.path, action: 'overwritten' });
    }
  }
  return { directory, files: results, notInstalled: await notInstalled(directory) };
}

/** Adds the template's dependencies and scripts an existing package.json lacks. */
async function mergePackageJson(
  file: string,
  template: Record<string, unknown>,
): Promise<ScaffoldedFile> {
  const text = await readFile(file, 'utf8');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
      throw new Error('not an object');
  } catch (error) {
    throw new UsageError(`cannot add strata to ${file}: it is not a JSON object`, {
      cause: error,
      hint: 'fix or remove it, then run strata init again',
    });
  }
  const added: string[] = [];
  for (const section of ['scripts', 'dependencies', 'devDependencies'] as const) {
    const wanted = template[section] as Record<string, string>;
    const present = (manifest[section] ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(wanted)) {
      if (key in present) continue;
      present[key] = value;
      added.push(`${section}.${key}`);
    }
    manifest[section] = present;
  }
  // The template's TypeScript is ES modules (its tsconfig checks them as such): a package.json
  // that names no type (as `npm install` writes one) gets "type": "module", unless JavaScript of
  // the project's own would then run as ES modules instead of CommonJS.
  if (manifest.type === undefined && !(await hasOwnJavaScript(path.dirname(file)))) {
    manifest.type = 'module';
    added.push('type');
  }
  if (added.length === 0) return { path: 'package.json', action: 'unchanged' };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return { path: 'package.json', action: 'updated', added };
}

/** Directories whose .js files are not the project's own. */
const NOT_OWN = new Set(['node_modules', '.git', '.strata', 'dist', 'build', 'coverage']);

/** Whether `directory` holds .js files of its own (which "type": "module" would change). */
async function hasOwnJavaScript(directory: string): Promise<boolean> {
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.js')) return true;
    if (entry.isDirectory() && !NOT_OWN.has(entry.name)) {
      if (await hasOwnJavaScript(path.join(directory, entry.name))) return true;
    }
  }
  return false;
}

/** Appends the template's lines an existing .gitignore lacks. */
async function mergeGitignore(file: string): Promise<ScaffoldedFile> {
  const text = await readFile(file, 'utf8');
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^\/|\/$/g, '')));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line.replace(/\/$/, '')));
  if (missing.length === 0) return { path: '.gitignore', action: 'unchanged' };
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(file, `${text}${separator}${missing.join('\n')}\n`);
  return { path: '.gitignore', action: 'updated', added: missing };
}

/** The package.json's dependencies with no package in `directory`/node_modules. */
async function notInstalled(directory: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const names = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ];
  return names.filter(
    (name) => !existsSync(path.join(directory, 'node_modules', name, 'package.json')),
  );
}
