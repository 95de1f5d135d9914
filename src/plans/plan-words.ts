// Small pieces of English for the gate's messages.

/** `a proposed`, `an approved`: the indefinite article that reads right before `words`. */
export function withArticle(words: string): string {
  return `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}`;
}
