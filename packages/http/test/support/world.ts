import { exportPublicJwk, issueIdentityDocument, createTrustBundle, loadWitIssuers, mergeTrustBundles, witIssuerJwks, sha256, signingKeyFromSeed, type SigningKey, type TrustBundle } from '@nestoken/core';

/** The parties of the http tests: an issuer, three workloads with WITs, and one outside the trust domain. */
export const TRUST_DOMAIN = 'nestoken.test';
export const ISSUER = 'https://issuer.nestoken.test';

export interface Workload {
  readonly name: string;
  readonly identity: string;
  readonly key: SigningKey;
  readonly wit?: string;
}

export interface TestWorld {
  readonly authority: SigningKey;
  readonly issuerKey: SigningKey;
  readonly trust: TrustBundle;
  readonly workloads: { readonly gateway: Workload; readonly foo: Workload; readonly bar: Workload; readonly partner: Workload };
}

const keyOf = (name: string): SigningKey => signingKeyFromSeed(sha256(new TextEncoder().encode(`nestoken http test key: ${name}`)));

export async function createTestWorld(now: number): Promise<TestWorld> {
  const authority = keyOf('authority');
  const issuerKey = keyOf('issuer');
  const trust = mergeTrustBundles(
    createTrustBundle({ signers: [{ identity: ISSUER, key: issuerKey.publicKey }] }),
    loadWitIssuers(witIssuerJwks(authority), { trustDomain: TRUST_DOMAIN }),
  );
  const workload = async (name: string, domain = TRUST_DOMAIN): Promise<Workload> => {
    const key = keyOf(name);
    const identity = `spiffe://${domain}/${name}`;
    const wit = await issueIdentityDocument({ authority, subject: identity, key: key.publicKey, issuedAt: now, expiresAt: now + 3600 });
    return { name, identity, key, wit };
  };
  const [gateway, foo, bar] = await Promise.all(['gateway', 'foo', 'bar'].map((n) => workload(n)));
  // The partner holds a WIT from the same authority, but for another trust domain: the bundle refuses it.
  const partner = await workload('partner', 'partner.test');
  return { authority, issuerKey, trust, workloads: { gateway: gateway!, foo: foo!, bar: bar!, partner } };
}
