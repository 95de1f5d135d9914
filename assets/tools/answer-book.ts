// The answers a tool server already gave, by idempotency key: JSON files under the server's state
// root (tool-results/<server>/<key>.json; ./tool-state.ts says where that is and why), written
// atomically (temp file + rename), so they survive a restart of the server and are shared by
// every server process using the same state root. An answer that is no longer usable (its
// artifacts were collected from the store) is no answer: the key's work is done again.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Answers of one server, by idempotency key. */
export class AnswerBook {
  /** The directory of the answers, and of their keys' lock files. */
  readonly dir: string;

  readonly #usable: (answer: unknown) => Promise<boolean>;

  /** `usable` says whether a stored answer may still be given (default: always). */
  constructor(
    root: string,
    server: string,
    usable: (answer: unknown) => Promise<boolean> = () => Promise.resolve(true),
  ) {
    this.dir = path.join(root, 'tool-results', server);
    this.#usable = usable;
  }

  /** Throws unless `key` is a plausible idempotency key (it becomes a file name). */
  static check(key: string): void {
    if (!/^[0-9a-f]{8,128}$/.test(key))
      throw new Error(`invalid idempotency key ${JSON.stringify(key)}`);
  }

  /** The stored answer of `key`, or undefined (none, or no longer usable). */
  async get(key: string): Promise<unknown> {
    AnswerBook.check(key);
    let answer: unknown;
    try {
      answer = JSON.parse(await readFile(path.join(this.dir, `${key}.json`), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
    return (await this.#usable(answer)) ? answer : undefined;
  }

  /** Stores the answer of `key`. */
  async put(key: string, answer: unknown): Promise<void> {
    AnswerBook.check(key);
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${key}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(answer));
    await rename(temp, file);
  }
}
