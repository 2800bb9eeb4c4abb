import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportPrivateJwk, exportPublicJwk, verifyIdentityDocument } from '@nestoken/core';
import { OAuthError, TxnTokenService, txnTokenListener } from '@nestoken/oauth';
import { WORKLOAD_IDENTITY_TOKEN_HEADER } from '@nestoken/http';
import { checkBearer } from './access-token.js';
import { ISSUER, TRUST_DOMAIN, type World } from './world.js';

/** Where the issuer serves RFC 8693 token exchange for Txn-Tokens. */
export const TXN_TOKEN_PATH = '/txn-token';

/** The Txn-Token Service's JWKS: the issuer's key, as workloads are configured with it. */
export const txnTokenKeys = (world: World) => ({ keys: [{ ...exportPublicJwk(world.issuerKey), alg: 'EdDSA', kid: world.issuerKey.publicKey.kid }] });

/**
 * The trust domain's Txn-Token Service, run by the issuer: it authenticates the calling
 * workload by its WIT (so it knows the key to hand the root layer to), takes the client's
 * access token as subject token, and answers with a Txn-Token and a root layer bound to it.
 */
export function txnTokenEndpoint(world: World): (req: IncomingMessage, res: ServerResponse) => void {
  let serial = 0;
  const service = new TxnTokenService({
    trustDomain: TRUST_DOMAIN,
    signingKey: { key: exportPrivateJwk(world.issuerKey), alg: 'EdDSA', kid: world.issuerKey.publicKey.kid },
    publicKeys: txnTokenKeys(world),
    issuer: ISSUER,
    lifetime: 120,
    now: world.now,
    // A counter, so that a demo run at a fixed clock prints the same output every time.
    newTxn: () => `txn-${++serial}`,
    authenticateClient: async (headers) => {
      const wit = headers[WORKLOAD_IDENTITY_TOKEN_HEADER.toLowerCase()];
      if (wit === undefined || wit.length > 8192) throw new OAuthError('invalid_client', `no ${WORKLOAD_IDENTITY_TOKEN_HEADER}`);
      const doc = await verifyIdentityDocument(wit, world.trust, { now: world.now(), clockSkew: 60 }).catch(() => {
        throw new OAuthError('invalid_client', 'the identity document does not verify');
      });
      return { workload: doc.identity, ...(doc.key ? { key: doc.key } : {}) };
    },
    validateAccessToken: async (token) => {
      const bearer = await checkBearer(`Bearer ${token}`, world.issuerKey, world.now());
      return bearer ? { sub: bearer.claims.sub, scope: bearer.claims.scope } : undefined;
    },
    chain: { key: world.issuerKey, identity: ISSUER, trust: world.trust },
  });
  return txnTokenListener(service);
}
