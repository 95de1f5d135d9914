// The files `strata init` writes: a package.json depending on this strata (and the zod it is built
// on), a tsconfig.json, two typed assets in assets/index.ts (one depending on the other) and a
// .gitignore for the embedded database's state. Versions come from strata's own package.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the new project. */
export interface TemplateFile {
  /** Relative to the project directory, with forward slashes. */
  readonly path: string;
  readonly content: string;
}

/** The parts of strata's package.json the template needs, and where it is. */
interface StrataManifest {
  /** The directory of strata's package.json. */
  readonly root: string;
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** strata's package.json (beside src/ or dist/). */
export function strataManifest(): StrataManifest {
  const file = new URL('../../package.json', import.meta.url);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StrataManifest>;
  return {
    root: path.dirname(fileURLToPath(file)),
    version: parsed.version ?? '0.0.0',
    dependencies: parsed.dependencies ?? {},
    devDependencies: parsed.devDependencies ?? {},
  };
}

/** Lines a new project's .gitignore holds. */
export const GITIGNORE_LINES = ['node_modules/', '.strata/'] as const;

/**
 * How the project depends on strata: this version when strata runs installed (from a
 * node_modules), else (a checkout of strata's repository) the path to it, which npm installs as
 * a link: the registry's package named strata is another one.
 */
function strataDependency(directory: string, strata: StrataManifest): string {
  if (strata.root.split(path.sep).includes('node_modules')) return `^${strata.version}`;
  return `file:${path.relative(directory, strata.root).split(path.sep).join('/')}`;
}

/** The package.json of a new project named `name` in `directory`. */
export function templatePackageJson(
  name: string,
  directory: string,
  strata: StrataManifest,
): Record<string, unknown> {
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      materialize: 'strata materialize',
      status: 'strata status',
      serve: 'strata serve',
      typecheck: 'tsc',
    },
    dependencies: {
      strata: strataDependency(directory, strata),
      zod: strata.dependencies.zod ?? '^4.0.0',
    },
    devDependencies: {
      '@types/node': strata.devDependencies['@types/node'] ?? '^20.19.0',
      typescript: strata.devDependencies.typescript ?? '^5.9.0',
    },
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    verbatimModuleSyntax: true,
    types: ['node'],
  },
  include: ['assets'],
};

const ASSETS = `// The assets of this project. \`npx strata materialize\` builds what is missing or stale;
// \`npx strata status\` shows what is fresh. Change a compute function and \`readings\` (or what
// depends on it) is stale again.
import { asset, defineAssets } from 'strata';
import { z } from 'zod';

/** Measurements to summarize (replace with reading a file, a database or an API). */
export const readings = asset({
  key: 'readings',
  description: 'Measurements to summarize',
  schema: z.array(z.number()),
  compute: () => [3.1, 4.1, 5.9, 2.6, 5.3],
});

/** Count, mean and maximum of the readings: ctx.inputs.readings is typed as number[]. */
export const summary = asset({
  key: 'summary',
  description: 'Count, mean and maximum of the readings',
  deps: { readings },
  schema: z.object({ count: z.number(), mean: z.number(), max: z.number() }),
  compute: ({ inputs, log }) => {
    const values = inputs.readings;
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    log.info(\`summarized \${values.length} readings\`);
    return { count: values.length, mean, max: Math.max(...values) };
  },
});

export default defineAssets([readings, summary]);
`;

/** The files of a new project named `name` in `directory`. */
export function templateFiles(
  name: string,
  directory: string,
  strata: StrataManifest,
): TemplateFile[] {
  return [
    { path: 'package.json', content: json(templatePackageJson(name, directory, strata)) },
    { path: 'tsconfig.json', content: json(TSCONFIG) },
    { path: 'assets/index.ts', content: ASSETS },
    { path: '.gitignore', content: `${GITIGNORE_LINES.join('\n')}\n` },
  ];
}

/** A valid npm package name made of a directory's name. */
export function packageName(directoryName: string): string {
  const name = directoryName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name === '' ? 'strata-project' : name.slice(0, 214);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
