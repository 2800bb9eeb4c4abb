import { keyAlgOfJwk } from '../crypto/algorithms.js';
import { fail } from '../errors.js';
import { importPublicJwk } from '../keys.js';
import { createTrustBundle, type TrustBundle, type TrustedSignerInit } from './bundle.js';
import { forKey, readKeySet } from './json-input.js';
import { assertInTrustDomain, checkTrustDomainName, trustDomainOf } from './scope.js';

/** Options of `loadSignerJwks`: one fixed trust domain for every signer, or (opt-in) each signer's own `sub` domain. */
export type SignerJwksOptions =
  /** The trust domain every signer of the file belongs to: a key whose `sub` lies outside it is ERR_TRUST_DOMAIN. */
  | { readonly trustDomain: string; readonly trustDomainFromSub?: never }
  /**
   * Opt-in for a file the verifier wrote itself: each signer belongs to the trust domain its
   * own `sub` names, so the file can vouch for any domain. Never for a partner's file.
   */
  | { readonly trustDomainFromSub: true; readonly trustDomain?: never };

/** `use` values of SPIFFE roles: such a key issues identities or certificates and never signs a layer. */
const SVID_USES = new Set(['wit-svid', 'jwt-svid', 'x509-svid']);

/** Layer keys nestoken can verify (spec §3.5): Ed25519 and P-256. */
const usableLayerKey = (k: Record<string, unknown>): boolean => keyAlgOfJwk(k) !== undefined;

/**
 * Reads a JWK Set of direct layer signers for one trust domain (spec §5.1). Each usable key
 * (`use` absent or `sig`) is a signer whose identity is its `sub`, which must lie in the trust
 * domain. A key marked with a SPIFFE role fails the file: an identity issuer's key cannot sign
 * layers, whichever file it is put in. Keys of other types or other uses are skipped.
 */
export function loadSignerJwks(input: string | Uint8Array | object, options: SignerJwksOptions): TrustBundle {
  if (typeof options !== 'object' || options === null) fail('ERR_USAGE', 'loadSignerJwks needs { trustDomain } or { trustDomainFromSub: true }');
  const fixed = options.trustDomainFromSub === true ? undefined : checkTrustDomainName(options.trustDomain, 'trustDomain');
  const what = 'signer JWKS';
  const { keys } = readKeySet(input, what);
  const signers: TrustedSignerInit[] = [];
  keys.forEach((k, i) =>
    forKey(what, i, () => {
      if (typeof k.use === 'string' && SVID_USES.has(k.use)) fail('ERR_TRUST_BUNDLE', `${what}: key ${i} has use ${k.use}: an identity issuer's key cannot sign layers`);
      if ((k.use !== undefined && k.use !== 'sig') || !usableLayerKey(k)) return;
      if (typeof k.sub !== 'string' || k.sub === '') fail('ERR_TRUST_BUNDLE', `${what}: key ${i} names no identity in sub`);
      const trustDomain = fixed ?? trustDomainOf(k.sub);
      assertInTrustDomain(k.sub, trustDomain ?? '', 'signer identity');
      signers.push({ identity: k.sub, key: importPublicJwk(k) });
    }),
  );
  return createTrustBundle({ signers });
}
