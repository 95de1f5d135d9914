// strata's own version, read once from the package.json beside src/ or dist/ (both are one
// level below the package root, and util/ one below them).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** strata's version ('0.0.0' when its package.json cannot be read). */
export function packageVersion(): string {
  cached ??= readVersion();
  return cached;
}

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
