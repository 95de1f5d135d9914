// The package.json that decides how Node treats the files of a directory: its module type
// ("type": "module" or CommonJS) and the scope their bare and #imports resolve in.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The nearest package.json at or above a directory, and its "type". */
export interface PackageScope {
  readonly path: string;
  readonly type: string | undefined;
}

/** The package.json that decides the module type of files in `directory`, and its "type". */
export function nearestPackageJson(directory: string): PackageScope | undefined {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'package.json');
    if (existsSync(candidate)) {
      try {
        const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { type?: unknown };
        return {
          path: candidate,
          type: typeof parsed.type === 'string' ? parsed.type : undefined,
        };
      } catch {
        return { path: candidate, type: undefined };
      }
    }
    if (path.dirname(current) === current) return undefined;
  }
}
