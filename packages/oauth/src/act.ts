import { provenHopsOf, type ProvenPath } from '@nestoken/core';

/** At most as many hops as a verified chain has layers (128): the `act` nesting depth is bounded by it. */
const hopsOf = (path: ProvenPath): ProvenPath['hops'] => provenHopsOf(path, 'the act export');

/** An RFC 8693 §4.1 actor: who acted, and (nested) who acted before. */
export interface ActClaim {
  readonly sub: string;
  readonly act?: ActClaim;
}

/** The proven path as a plain call chain: identities, root first (`anonymous` for an anonymous hop). */
export const toCallChain = (path: ProvenPath): readonly string[] => hopsOf(path).map((h) => h.identity);

/**
 * The proven path as a nested `act` claim (RFC 8693 §4.1): the outermost actor is the last hop,
 * each nested `act` the hop before it, the root the most deeply nested. Only `sub` is written:
 * RFC 8693 gives other claims no meaning inside `act`.
 */
export function toActClaim(path: ProvenPath): ActClaim {
  let act: ActClaim | undefined;
  for (const hop of hopsOf(path)) act = act === undefined ? { sub: hop.identity } : { sub: hop.identity, act };
  return act!;
}
