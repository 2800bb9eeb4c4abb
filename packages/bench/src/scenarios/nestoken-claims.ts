import type { Claims } from '@nestoken/core';
import { hopFacts, rootFacts } from '../fixtures.js';

/** The shared facts as nestoken claims: registered claim names, the rest under `data`. */
export function rootClaims(): Claims {
  const { scope, ...registered } = rootFacts;
  return { ...registered, data: { scope } };
}

export function hopClaims(i: number): Claims {
  const { iss, iat, op, hop } = hopFacts(i);
  return { iss, iat, data: { op, hop } };
}

/** An anonymous hop proves no identity, so it names none (spec §7.4): the same facts without `iss`. */
export function anonymousHopClaims(i: number): Claims {
  const { iss: _iss, ...rest } = hopClaims(i);
  return rest;
}
