import { createHash } from 'node:crypto';
import { encodeToken, exportPublicJwk, issue, issueIdentityDocument, layerDigest, decodeToken, DEFAULT_LIMITS, createTrustBundle, loadWitIssuers, mergeTrustBundles, witIssuerJwks, signingKeyFromSeed, type SigningKey, type TrustBundle } from '@nestoken/core';
import { CrateBuilder, type Crate } from '@nestoken/crate';

/**
 * The parties of the HTTP bench, from fixed seeds, so the load generator and the servers (two
 * processes) build the same keys and trust bundle independently.
 */
export const DOMAIN = 'bench.test';
export const ISSUER = 'https://issuer.bench.test';

export interface Party {
  readonly identity: string;
  readonly key: SigningKey;
  readonly wit: string;
}

export interface BenchWorld {
  readonly issuerKey: SigningKey;
  readonly trust: TrustBundle;
  readonly gateway: Party;
  readonly foo: Party;
  readonly bar: Party;
}

const keyOf = (name: string): SigningKey => signingKeyFromSeed(createHash('sha256').update(`nestoken http bench: ${name}`).digest());

export async function benchWorld(now: number): Promise<BenchWorld> {
  const authority = keyOf('authority');
  const issuerKey = keyOf('issuer');
  const trust = mergeTrustBundles(
    createTrustBundle({ signers: [{ identity: ISSUER, key: issuerKey.publicKey }] }),
    loadWitIssuers(witIssuerJwks(authority), { trustDomain: DOMAIN }),
  );
  const party = async (name: string): Promise<Party> => {
    const key = keyOf(name);
    const identity = `spiffe://${DOMAIN}/${name}`;
    return { identity, key, wit: await issueIdentityDocument({ authority, subject: identity, key: key.publicKey, issuedAt: now, expiresAt: now + 3600 }) };
  };
  return { issuerKey, trust, gateway: await party('gateway'), foo: await party('foo'), bar: await party('bar') };
}

/** The issuer's root, handed to the gateway. */
export async function rootToken(world: BenchWorld, now: number, jti = `bench-${now}`): Promise<string> {
  const claims = { iss: ISSUER, sub: 'alice', iat: now, exp: now + 600, jti };
  return encodeToken(await issue({ key: world.issuerKey, audienceKey: world.gateway.key.publicKey, claims }), 'jwt');
}

/** The gateway's crate: one access token, attested for this chain. */
export async function benchCrate(world: BenchWorld, root: string, now: number): Promise<Crate> {
  const b = new CrateBuilder();
  const token = b.token({ format: 'jwt', bytes: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbGljZSJ9.c2ln', meta: { role: 'access_token' } });
  b.bucket({ name: 'ingress', items: [token] });
  const chain = layerDigest(decodeToken(root, DEFAULT_LIMITS).token.layers[0]!.bytes);
  await b.attest({ subjects: [token], key: world.gateway.key, issuer: world.gateway.identity, issuedAt: now, expiresAt: now + 600, identityDocument: world.gateway.wit, chain });
  return b.build();
}
