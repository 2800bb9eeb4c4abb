import { createTrustBundle, encodeToken, exportPrivateJwk, exportPublicJwk, extend, signingKeyFromSeed, verify, type SigningKey, type TrustBundle } from '@nestoken/core';
import { ACCESS_TOKEN_TYPE, parseTxnTokenRequest, TxnTokenService, txnTokenRequestBody, verifyTxnBound } from '@nestoken/oauth';
import { ISSUER, LIFETIME, NOW, SUBJECT, VERIFY_AT, hopIdentity, rootFacts, seed } from '../fixtures.js';
import type { ChainScenario, PreparedChain } from '../scenario.js';
import { hopClaims } from './nestoken-claims.js';

const TRUST_DOMAIN = 'example.org';

/**
 * An ID chain whose root the Txn-Token Service issued, bound to its Txn-Token (spec §12.3).
 * Two verifiers over the same bytes: the chain alone, and chain + Txn-Token + binding, so the
 * ratio of the two rows is what the Txn-Token check adds. `bytes` counts both headers.
 */
export function nestokenTxnScenario(): ChainScenario {
  let keys: SigningKey[] = [];
  let trust: TrustBundle | undefined;
  const ttsKey = signingKeyFromSeed(seed('txn-token-service'));
  const jwks = { keys: [{ ...exportPublicJwk(ttsKey), alg: 'EdDSA', kid: ttsKey.publicKey.kid }] };
  return {
    id: 'nestoken-txn',
    label: 'nestoken ID JWT + Txn-Token',
    family: 'nestoken',
    group: 'nestoken-txn',
    verifiers: [
      { id: 'chain', label: 'chain only' },
      { id: 'chain+txn', label: 'chain + Txn-Token + binding' },
    ],
    note: 'root layer issued by a Txn-Token Service and bound to its Txn-Token (txn + tth); bytes = Nestoken + Txn-Token headers',
    async prepare(hops): Promise<PreparedChain> {
      if (keys.length < hops + 2) {
        keys = Array.from({ length: hops + 2 }, (_, i) => signingKeyFromSeed(seed(`txn-key-${i}`)));
        trust = createTrustBundle({ signers: [{ identity: ISSUER, key: ttsKey.publicKey }, ...keys.map((k, i) => ({ identity: hopIdentity(i), key: k.publicKey }))] });
      }
      const bundle = trust!;
      const tts = new TxnTokenService({
        trustDomain: TRUST_DOMAIN,
        signingKey: { key: exportPrivateJwk(ttsKey), alg: 'EdDSA', kid: ttsKey.publicKey.kid },
        publicKeys: jwks,
        lifetime: LIFETIME,
        now: () => NOW,
        newTxn: () => rootFacts.jti,
        authenticateClient: async () => ({ workload: hopIdentity(1), key: keys[1]!.publicKey }),
        validateAccessToken: async () => ({ sub: SUBJECT, scope: rootFacts.scope }),
        chain: { key: ttsKey, identity: ISSUER, trust: bundle },
      });
      const form = txnTokenRequestBody({ audience: TRUST_DOMAIN, scope: rootFacts.scope, subjectToken: 'access-token', subjectTokenType: ACCESS_TOKEN_TYPE });
      /** The exchange at the service, then workloads 1..hops-1 extend its root: `hops` layers. */
      const build = async (): Promise<{ token: string; txnToken: string }> => {
        const grant = await tts.exchange(parseTxnTokenRequest(form), { workload: hopIdentity(1), key: keys[1]!.publicKey });
        let token = grant.nestoken!;
        for (let i = 1; i < hops; i++) token = encodeToken(await extend(token, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, claims: hopClaims(i) }), 'jwt');
        return { token, txnToken: grant.access_token };
      };
      const { token, txnToken } = await build();
      const audience = keys[hops]!.publicKey;
      const chainOptions = { trust: bundle, now: VERIFY_AT, audience };
      return {
        bytes: Buffer.byteLength(token) + Buffer.byteLength(txnToken),
        issue: async () => (await build()).token,
        extend: async () => encodeToken(await extend(token, { key: keys[hops]!, audienceKey: keys[hops + 1]!.publicKey, claims: hopClaims(hops) }), 'jwt'),
        verify: {
          chain: async () => {
            const path = await verify(token, chainOptions);
            if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
          },
          'chain+txn': async () => {
            const { path } = await verifyTxnBound(token, txnToken, { chain: chainOptions, txnToken: { keys: jwks, trustDomain: TRUST_DOMAIN } });
            if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops, expected ${hops}`);
          },
        },
      };
    },
  };
}
