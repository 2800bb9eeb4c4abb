import leven from 'leven';

/**
 * The candidate a misspelt word most likely meant: the closest by edit distance, within two
 * edits or a third of the word's length, or one the word is a prefix of.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = leven(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best ?? (word.length >= 2 ? candidates.find((c) => c.startsWith(word)) : undefined);
}

/** ` (did you mean X?)`, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = closest(word, candidates);
  return hit === undefined ? '' : ` (did you mean ${hit}?)`;
}
