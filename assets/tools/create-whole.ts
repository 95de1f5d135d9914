// Creating a file whole and only once, across processes: the content is written to a private
// draft, then hard-linked to its name, which fails if the name exists; a reader never sees a
// partial file, and of two processes creating one name, exactly one succeeds.
import { randomBytes } from 'node:crypto';
import { link, unlink, writeFile } from 'node:fs/promises';

/** Creates `file` with `content` unless it exists (atomically, whole): true when this call did. */
export async function createWhole(file: string, content: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.draft`;
  await writeFile(draft, content);
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft);
  }
}
