import { closestName } from '@nestoken/core';

/** The candidate a misspelt word most likely meant: core's one suggestion rule (`closestName`). */
export const closest = (word: string, candidates: readonly string[]): string | undefined => closestName(word, candidates);

/** ` (did you mean X?)`, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = closest(word, candidates);
  return hit === undefined ? '' : ` (did you mean ${hit}?)`;
}
