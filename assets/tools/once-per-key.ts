// Does the work of an idempotency key at most once across the tool-server processes sharing one
// store on one machine: a stored answer is returned as is; the same key twice at once in this
// process shares one piece of work (an in-flight map); across processes, the key's lock file
// (./key-lock.ts) admits one worker at a time, and whoever waited finds the stored answer. A
// failed piece of work stores nothing, so the next caller tries again.
import { setTimeout as delay } from 'node:timers/promises';
import type { AnswerBook } from './answer-book.js';
import type { KeyLocks } from './key-lock.js';

/** First and longest pause between two looks at a key locked by another process, in ms. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;

/** At-most-once answers by idempotency key. */
export class OncePerKey {
  readonly #answers: AnswerBook;
  readonly #locks: KeyLocks;
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(answers: AnswerBook, locks: KeyLocks) {
    this.#answers = answers;
    this.#locks = locks;
  }

  /**
   * The answer of `key`: stored, or shared with a call in flight, or computed by `work` and
   * stored. `onWait` hears, once, why this call waits (the same key in flight elsewhere).
   */
  answer(
    key: string,
    work: () => Promise<unknown>,
    onWait: (why: string) => void,
  ): Promise<unknown> {
    const running = this.#inFlight.get(key);
    if (running) {
      onWait(`key ${key} is being answered in this process (pid ${process.pid}); waiting for it`);
      return running;
    }
    const answer = this.#answerAlone(key, work, onWait).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, answer);
    return answer;
  }

  /** Resolves when no work is in flight in this process (what there is now has settled). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #answerAlone(
    key: string,
    work: () => Promise<unknown>,
    onWait: (why: string) => void,
  ): Promise<unknown> {
    let pause = FIRST_POLL_MS;
    let told = false;
    for (;;) {
      const stored = await this.#answers.get(key);
      if (stored !== undefined) return stored;
      const attempt = await this.#locks.tryLock(key);
      if ('lock' in attempt) {
        try {
          // Answered between the look above and the lock: no work.
          const answered = await this.#answers.get(key);
          if (answered !== undefined) return answered;
          const answer = await work();
          await this.#answers.put(key, answer);
          return answer;
        } finally {
          await attempt.lock.release();
        }
      }
      if (!told) {
        told = true;
        onWait(`key ${key} is being answered by process ${attempt.heldBy}; waiting for it`);
      }
      await delay(pause);
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }
}
