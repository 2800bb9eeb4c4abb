import type { SigningKey } from '@nestoken/core';
import { CrateBuilder, getNode, trim, type Crate } from '@nestoken/crate';
import { ISSUER } from './world.js';

/** How the demo marks the outside client's access token inside a crate. */
const ACCESS_TOKEN_ROLE = 'access_token';

export interface Attester {
  readonly identity: string;
  readonly key: SigningKey;
  readonly wit?: string;
}

/**
 * What the gateway puts beside the nested token: the access token it accepted, in a bucket
 * named `ingress`, and (when the gateway signs in its own name) its attestation that it
 * checked that token. Past the gateway the access token is evidence about the request, not a
 * credential anyone downstream may present.
 */
export async function ingressCrate(accessToken: string, attester: Attester | undefined, window: { now: number; expiresAt: number }, chain?: string): Promise<Crate> {
  const b = new CrateBuilder();
  const token = b.token({ format: 'jwt', bytes: accessToken, meta: { role: ACCESS_TOKEN_ROLE, iss: ISSUER } });
  b.bucket({ name: 'ingress', items: [token] });
  if (attester) {
    await b.attest({
      subjects: [token],
      key: attester.key,
      issuer: attester.identity,
      issuedAt: window.now,
      expiresAt: window.expiresAt,
      ...(attester.wit ? { identityDocument: attester.wit } : {}),
      ...(chain ? { chain } : {}),
    });
  }
  return b.build();
}

export function accessTokenCids(crate: Crate): string[] {
  return [...crate.blocks.keys()].filter((key) => {
    const node = getNode(crate, key);
    return node?.type === 'token' && node.meta?.role === ACCESS_TOKEN_ROLE;
  });
}

/** Before a call leaves the organisation: everything stays but the access token's bytes. */
export function withoutAccessToken(crate: Crate): Crate {
  const elided = new Set(accessTokenCids(crate));
  return trim(crate, [...crate.blocks.keys()].filter((key) => !elided.has(key)));
}
