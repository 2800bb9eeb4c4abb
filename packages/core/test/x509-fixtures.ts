import { createTrustBundle, extend, issue, type LayerFormat, type SigningKey, type Token, type TrustBundle } from '../src/index.node.js';
import { ed25519CaKeys, mintRootCertificate, mintSvidChain, type CaKeys, type SvidChainInit } from '../../vectors/src/x509-svid-mint.js';
import { identity, keys, NOW } from './fixtures.js';

export const TD = 'example.org';
export const HOUR = 3600;

const caSeed = (label: string): Uint8Array => {
  const s = new Uint8Array(32);
  s.set(new TextEncoder().encode(label).subarray(0, 32));
  return s;
};

/** Ed25519 CAs from fixed seeds: deterministic certificates, as in the vectors. */
export const ca = async (label: string): Promise<CaKeys> => ed25519CaKeys(caSeed(label));

export type ChainOverrides = Partial<Omit<SvidChainInit, 'root' | 'intermediates' | 'leafKey'>> & {
  readonly root?: CaKeys;
  readonly intermediates?: readonly CaKeys[];
  readonly leafKey?: Uint8Array;
};

/** A self-signed root certificate (DER) of `trustDomain`, valid around NOW: what a bundle's x509-svid entry holds. */
export const rootCertificate = async (label: string, trustDomain = TD): Promise<Uint8Array> => mintRootCertificate(trustDomain, await ca(label), NOW - HOUR, NOW + HOUR);

/** An X.509-SVID chain for hop `hop`'s key, root -> one intermediate -> leaf unless told otherwise. */
export async function svid(hop: number, over: ChainOverrides = {}): Promise<{ root: Uint8Array; chain: readonly Uint8Array[] }> {
  return mintSvidChain({
    trustDomain: TD,
    leafKey: keys[hop]!.publicKey.bytes,
    uris: [identity(hop)],
    root: await ca('root'),
    intermediates: [await ca('intermediate')],
    notBefore: NOW - HOUR,
    notAfter: NOW + HOUR,
    ...over,
  });
}

/** The issuer (keys[0]) is a bundle signer; the example.org roots vouch for X.509-SVIDs. */
export function bundleWith(roots: Record<string, readonly Uint8Array[]>): TrustBundle {
  const domains = Object.entries(roots).map(([trustDomain, x509Roots]) => ({ trustDomain, x509Roots }));
  return createTrustBundle({ signers: [{ identity: identity(0), key: keys[0]!.publicKey }], domains });
}

/** A two-layer chain: the issuer hands the token to hop 1, which signs with `signer` and presents `chain`. */
export async function hopWithChain(chain: readonly Uint8Array[], formats: readonly [LayerFormat, LayerFormat] = ['jwt', 'cbor'], signer: SigningKey = keys[1]!): Promise<Token> {
  const root = await issue({ key: keys[0]!, audienceKey: signer.publicKey, format: formats[0], claims: { iss: identity(0), exp: NOW + HOUR } });
  return extend(root, { key: signer, audienceKey: keys[2]!.publicKey, format: formats[1], x509Chain: chain });
}
