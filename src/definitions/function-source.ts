// The source text of a user function as heuristic code versions hash it: its text as the loader
// produced it, with the stand-ins the compiled-definitions cache writes for `import.meta.url`,
// `.filename` and `.dirname` (src/cli/compile-definitions.ts) read as what they stand for, so a
// function hashes the same whether its module was loaded through tsx or from the cache.

/** The identifier the compiled-definitions cache writes in place of `import.meta.<property>`. */
export function importMetaStandIn(property: 'url' | 'filename' | 'dirname'): string {
  return `__strata_import_meta_${property}`;
}

const STAND_IN = /\b__strata_import_meta_(url|filename|dirname)\b/g;

/** `fn`'s source text, as it reads in the user's module. */
export function functionSource(fn: (...args: never[]) => unknown): string {
  return fn.toString().replace(STAND_IN, (_, property: string) => `import.meta.${property}`);
}
