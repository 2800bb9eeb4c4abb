import { isDeepStrictEqual } from 'node:util';
import type { ErrorCode } from '@nestoken/core';
import type { ExpectedPath } from './model.js';
import type { Outcome } from './outcome.js';

/**
 * What the generator predicts for a case, from how it built it and the rules of the spec:
 * a path, an exact code (and layer, where the rule names one), or for byte-level damage whose
 * first failing check depends on where the damage lands, the set of codes the spec allows.
 * The generator then runs the reference verifier: a disagreement stops generation, and the
 * code it gives within an allowed set is what the vector pins.
 */
export type Expectation<V = ExpectedPath> =
  | { readonly valid: V }
  | { readonly code: ErrorCode; readonly layer?: number }
  | { readonly oneOf: readonly ErrorCode[] };

/** Why the outcome contradicts the expectation, or undefined when it agrees. */
export function disagreement<V>(expected: Expectation<V>, got: Outcome<V>): string | undefined {
  const show = (o: Outcome<V>) => (o.result === 'valid' ? 'valid' : `${o.code}${o.layer === undefined ? '' : ` at layer ${o.layer}`}`);
  if ('valid' in expected) {
    if (got.result !== 'valid') return `expected valid, got ${show(got)}`;
    if (!isDeepStrictEqual(got.value, expected.valid)) return `result differs:\n  expected ${JSON.stringify(expected.valid)}\n  got      ${JSON.stringify(got.value)}`;
    return undefined;
  }
  if (got.result === 'valid') return `expected ${'code' in expected ? expected.code : expected.oneOf.join('|')}, got valid`;
  if ('oneOf' in expected) return expected.oneOf.includes(got.code) ? undefined : `expected one of ${expected.oneOf.join('|')}, got ${show(got)}`;
  if (got.code !== expected.code) return `expected ${expected.code}${expected.layer === undefined ? '' : ` at layer ${expected.layer}`}, got ${show(got)}`;
  if (expected.layer !== undefined && got.layer !== expected.layer) return `expected ${expected.code} at layer ${expected.layer}, got ${show(got)}`;
  return undefined;
}

export const sameOutcome = <V>(a: Outcome<V>, b: Outcome<V>): boolean => isDeepStrictEqual(a, b);

/**
 * Every input of a case must give one outcome, and it must agree with the prediction. Returns
 * the outcome to record, and what is wrong.
 */
export function reconcile<V>(runs: ReadonlyArray<{ kind: string; outcome: Outcome<V> }>, expected: Expectation<V>, where: string): { outcome?: Outcome<V>; problems: string[] } {
  const first = runs[0]?.outcome;
  if (!first) return { problems: [`${where}: no input`] };
  const problems: string[] = [];
  for (const r of runs) {
    if (!sameOutcome(r.outcome, first)) problems.push(`${where}: ${r.kind} gives ${JSON.stringify(r.outcome)}, ${runs[0]!.kind} ${JSON.stringify(first)}`);
  }
  const why = disagreement(expected, first);
  if (why) problems.push(`${where}: ${why}`);
  return { outcome: first, problems };
}
