import { createHash } from 'node:crypto';
import {
  createTrustBundle,
  issueIdentityDocument,
  loadWitIssuers,
  mergeTrustBundles,
  signingKeyFromSeed,
  witIssuerJwks,
  type SigningKey,
  type TrustBundle,
} from '@nestoken/core';

/** Reserved for testing (RFC 6761), so no demo name can point anywhere real. */
export const TRUST_DOMAIN = 'nestoken.test';
export const ISSUER = 'https://issuer.nestoken.test';
/** The API the outside client's access token is for. */
export const API_AUDIENCE = 'https://api.nestoken.test';
export const CLIENT_ID = 'demo-client';

export const WORKLOADS = ['gateway', 'foo', 'bar'] as const;
export type WorkloadName = (typeof WORKLOADS)[number] | 'partner';

export interface Workload {
  readonly name: WorkloadName;
  readonly identity: string;
  readonly key: SigningKey;
  /** Its Workload Identity Token; the third party has none from our authority. */
  readonly wit?: string;
}

export interface World {
  /** One clock for every party, so a run can be replayed at a fixed time. */
  readonly now: () => number;
  readonly authority: SigningKey;
  readonly issuerKey: SigningKey;
  /** The WIT issuer's public key set every service is given, as JSON (`use: "wit-svid"`). */
  readonly bundle: { readonly keys: readonly object[] };
  readonly trust: TrustBundle;
  readonly workloads: Readonly<Record<WorkloadName, Workload>>;
}

/** Demo keys come from their names, so every run (and its README) shows the same key thumbprints. */
const demoKey = (name: string): SigningKey => signingKeyFromSeed(createHash('sha256').update(`nestoken demo key: ${name}`).digest());

export async function createWorld(now: () => number = () => Math.floor(Date.now() / 1000)): Promise<World> {
  const authority = demoKey('spiffe authority');
  const issuerKey = demoKey('issuer');
  const bundle = witIssuerJwks(authority);
  // The WIT issuer vouches only for identities in our trust domain; the token issuer is a direct signer.
  const trust = mergeTrustBundles(
    createTrustBundle({ signers: [{ identity: ISSUER, key: issuerKey.publicKey }] }),
    loadWitIssuers(bundle, { trustDomain: TRUST_DOMAIN }),
  );
  const issuedAt = now();
  const workload = async (name: (typeof WORKLOADS)[number]): Promise<Workload> => {
    const key = demoKey(name);
    const identity = `spiffe://${TRUST_DOMAIN}/${name}`;
    const wit = await issueIdentityDocument({ authority, subject: identity, key: key.publicKey, issuedAt, expiresAt: issuedAt + 3600, issuer: `spiffe://${TRUST_DOMAIN}` });
    return { name, identity, key, wit };
  };
  const [gateway, foo, bar] = await Promise.all(WORKLOADS.map(workload));
  const partner: Workload = { name: 'partner', identity: 'spiffe://partner.test/ledger', key: demoKey('partner') };
  return { now, authority, issuerKey, bundle, trust, workloads: { gateway: gateway!, foo: foo!, bar: bar!, partner } };
}

/** A short name for an identity or key thumbprint, for the printed output. */
export function nameOf(world: World, identityOrKid: string | undefined): string {
  if (identityOrKid === ISSUER) return 'issuer';
  for (const w of Object.values(world.workloads)) {
    if (w.identity === identityOrKid || w.key.publicKey.kid === identityOrKid) return w.name;
  }
  return identityOrKid ?? '-';
}
