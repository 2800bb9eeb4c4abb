import { extend, issue, type ExtendOptions, type LayerFormat, type SigningKey, type Token } from '@nestoken/core';
import { hopClaims, rootClaims } from './nestoken-claims.js';

/**
 * An ID-mode chain of `hops` layers: key 0 (the issuer) hands to key 1, hop i (key i) to key
 * i+1. Chain `n` differs from every other from its root on (its jti), so no two chains share a
 * signature (first-sight pools). `presents(i)` is what hop i shows with its layer: a WIT, an
 * X.509-SVID, or nothing when its key is in the trust bundle.
 */
export async function buildIdChain(
  keys: readonly SigningKey[],
  hops: number,
  format: LayerFormat,
  n = 0,
  presents: (hop: number) => Pick<ExtendOptions, 'identityDocument' | 'x509Chain'> = () => ({}),
): Promise<Token> {
  const root = rootClaims();
  let token = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: n === 0 ? root : { ...root, jti: `${String(root.jti)}-${n}` }, format });
  for (let i = 1; i < hops; i++) {
    token = await extend(token, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, claims: hopClaims(i), format, ...presents(i) });
  }
  return token;
}
