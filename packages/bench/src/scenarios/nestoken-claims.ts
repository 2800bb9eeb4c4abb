import type { Claims } from '@nestoken/core';
import { hopFacts, rootFacts } from '../fixtures.js';

/**
 * The shared facts as nestoken claims, at the top level as the JWT peers carry them: since
 * open claims (spec §3.3) a layer needs no wrapper for claims it does not register, and
 * registered ones (`scope` is CWT key 9) take their integer key in the CBOR format.
 */
export function rootClaims(): Claims {
  return { ...rootFacts };
}

export function hopClaims(i: number): Claims {
  const { iss, iat, op, hop } = hopFacts(i);
  return { iss, iat, op, hop };
}

/** An anonymous hop proves no identity, so it names none (spec §7.4): the same facts without `iss`. */
export function anonymousHopClaims(i: number): Claims {
  const { iss: _iss, ...rest } = hopClaims(i);
  return rest;
}
