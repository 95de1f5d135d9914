// The versions of Gmsh and CalculiX, read once when the definitions load, for the code versions
// of the assets whose results they compute: upgrading a solver makes its results stale
// (docs/architecture.md, "The CAE study"). A program that is not installed reads as `absent`, so
// the definitions still load (to show status, or with the tools served over HTTP elsewhere).
import { spawnSync } from 'node:child_process';

/** How long a version query may take before the program counts as absent, ms. */
const VERSION_TIMEOUT_MS = 10_000;

function versionOf(command: string, args: readonly string[], pattern: RegExp): string {
  const out = spawnSync(command, args, { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  if (out.error !== undefined) return 'absent';
  return `${out.stdout ?? ''}\n${out.stderr ?? ''}`.match(pattern)?.[1] ?? 'unknown';
}

/** The installed tools' versions, as `gmsh --version` and `ccx -v` print them. */
export interface ToolVersions {
  readonly gmsh: string;
  readonly ccx: string;
}

let cached: ToolVersions | undefined;

/** Gmsh's and CalculiX's versions (read once per process). */
export function toolVersions(): ToolVersions {
  cached ??= {
    gmsh: versionOf('gmsh', ['--version'], /\b(\d+\.\d+\.\d+)\b/),
    ccx: versionOf('ccx', ['-v'], /Version\s+(\S+)/),
  };
  return cached;
}
