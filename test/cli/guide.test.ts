// docs/guide.md stays true: its code blocks titled `assets/index.ts` and `designs.json` (full
// files, and diffs applied in order) are replayed into a project as a user would, the last full
// file must be what the diffs before it make, and every version of assets/index.ts type-checks
// with the tsconfig.json `strata init` writes and loads in the built CLI (`strata status`). The
// outputs in the guide come from a real session and are not checked here.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { strataManifest, templateFiles } from '../../src/cli/project-template.js';
import { useTestDatabase } from '../support/database.js';
import { REPO_ROOT, type CliResult } from './cli-harness.js';
import { linkStrata, strataIn } from './user-project.js';

const database = useTestDatabase();
const root = mkdtempSync(path.join(os.tmpdir(), 'strata-guide-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GUIDE = path.join(REPO_ROOT, 'docs/guide.md');

/** A fenced block of the guide with a title: `ts title="assets/index.ts"`, `diff title=...`. */
interface TitledBlock {
  readonly kind: 'file' | 'diff';
  readonly title: string;
  readonly text: string;
}

function titledBlocks(markdown: string): TitledBlock[] {
  const fence = /^```(\w+) title="([^"]+)"\n([\s\S]*?)^```$/gm;
  return [...markdown.matchAll(fence)].map(([, lang, title, text]) => ({
    kind: lang === 'diff' ? 'diff' : 'file',
    title: title!,
    text: text!,
  }));
}

/**
 * Applies a diff without line numbers: hunks separated by `@@` lines, each a run of context
 * (` `), removed (`-`) and added (`+`) lines whose old text must occur exactly once.
 */
function applyDiff(text: string, diff: string, title: string): string {
  let result = text;
  for (const hunk of diff.split(/^@@\n/m)) {
    const before: string[] = [];
    const after: string[] = [];
    for (const line of hunk.split('\n').slice(0, -1)) {
      const [tag, body] = [line.slice(0, 1), line.slice(1)];
      if (tag === ' ' || tag === '-') before.push(body);
      if (tag === ' ' || tag === '+') after.push(body);
    }
    const old = `${before.join('\n')}\n`;
    const occurrences = result.split(old).length - 1;
    expect(occurrences, `a hunk of a diff of ${title} occurs ${occurrences} times:\n${old}`).toBe(
      1,
    );
    result = result.replace(old, `${after.join('\n')}\n`);
  }
  return result;
}

function run(command: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('docs/guide.md', () => {
  const blocks = titledBlocks(readFileSync(GUIDE, 'utf8'));
  /** Every version of assets/index.ts, in the guide's order. */
  const versions: string[] = [];
  const files = new Map<string, string>();
  for (const block of blocks) {
    const current = files.get(block.title);
    if (block.kind === 'diff') {
      if (current === undefined) throw new Error(`a diff of ${block.title} before its full text`);
      files.set(block.title, applyDiff(current, block.text, block.title));
    } else {
      if (current !== undefined && block.text !== current) {
        throw new Error(
          `docs/guide.md shows ${block.title} in full, but not as the diffs before it make it`,
        );
      }
      files.set(block.title, block.text);
    }
    const assets = files.get('assets/index.ts');
    if (block.title === 'assets/index.ts' && assets !== versions.at(-1)) versions.push(assets!);
  }

  it('shows assets/index.ts in full and evolves it with diffs', () => {
    expect(blocks.filter((b) => b.title === 'assets/index.ts' && b.kind === 'file')).toHaveLength(
      2,
    );
    expect(versions.length).toBeGreaterThanOrEqual(4);
    expect(files.get('designs.json')).toBeDefined();
  });

  it('has versions of assets/index.ts that type-check with the tsconfig of strata init and load', async () => {
    // One project: strata, zod and @types/node in its node_modules, "type": "module" (as the
    // guide sets it), one directory per version, and the tsconfig.json strata init writes.
    linkStrata(root);
    mkdirSync(path.join(root, 'node_modules/@types'));
    symlinkSync(
      path.join(REPO_ROOT, 'node_modules/@types/node'),
      path.join(root, 'node_modules/@types/node'),
      'dir',
    );
    writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
    const directories = versions.map((source, index) => {
      const dir = path.join(root, `v${index + 1}`);
      mkdirSync(path.join(dir, 'assets'), { recursive: true });
      writeFileSync(path.join(dir, 'assets/index.ts'), source);
      writeFileSync(path.join(dir, 'designs.json'), files.get('designs.json')!);
      return dir;
    });
    const template = templateFiles('guide', root, strataManifest()).find(
      (file) => file.path === 'tsconfig.json',
    )!;
    const tsconfig = JSON.parse(template.content) as { include: string[] };
    tsconfig.include = directories.map((dir) => `${path.basename(dir)}/assets`);
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig));

    const tsc = await run(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', root],
      root,
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    for (const dir of directories) {
      const status = await strataIn(dir, database.url, ['status', '--json']);
      expect(status.code, `${path.basename(dir)}: ${status.stderr}`).toBe(0);
      const keys = (JSON.parse(status.stdout) as { assets: { key: string }[] }).assets.map(
        (asset) => asset.key,
      );
      expect(keys).toEqual(['design', 'deflection', 'best_design']);
    }
  }, 120_000);
});
