import { fail } from '../errors.js';
import type { RevocationCheck, RevocationQuery } from './policy.js';

/** What a deployment bans outright, each by the name a verifier proves for it. */
export interface Bans {
  /** Root issuers: every chain they started is refused (`ERR_ISSUER_BANNED`). */
  readonly issuers?: Iterable<string>;
  /** Workload identities: every chain with a layer they signed is refused (`ERR_IDENTITY_BANNED`). */
  readonly identities?: Iterable<string>;
  /** Layer digests, `jti`s or key thumbprints: that layer and every chain built on it (`ERR_REVOKED`). */
  readonly layers?: Iterable<string>;
  readonly jtis?: Iterable<string>;
  readonly keys?: Iterable<string>;
}

/**
 * A revocation hook over fixed ban lists that names the cause of each refusal (spec §13.5).
 * The root issuer is checked first, so a banned issuer is reported as such even when its own
 * identity is also banned.
 */
export function banList(bans: Bans): RevocationCheck {
  const issuers = new Set(bans.issuers ?? []);
  const identities = new Set(bans.identities ?? []);
  const layers = new Set([...(bans.layers ?? []), ...(bans.jtis ?? []), ...(bans.keys ?? [])]);
  return (q: RevocationQuery): boolean => {
    if (issuers.has(q.issuer)) fail('ERR_ISSUER_BANNED', `the chain was started by the banned issuer ${q.issuer}`, q.index);
    if (q.identity !== undefined && identities.has(q.identity)) fail('ERR_IDENTITY_BANNED', `layer ${q.index} was signed by the banned workload ${q.identity}`, q.index);
    return layers.has(q.digest) || (q.jti !== undefined && layers.has(q.jti)) || (q.keyThumbprint !== undefined && layers.has(q.keyThumbprint));
  };
}

/** Several revocation sources as one hook: asked in order, the first ban (or failure) decides. */
export function allRevocationChecks(...checks: readonly RevocationCheck[]): RevocationCheck {
  return async (q) => {
    for (const check of checks) if ((await check(q)) !== false) return true;
    return false;
  };
}
