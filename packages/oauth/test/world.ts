import { exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { createTrustBundle, signingKeyFromSeed, type SigningKey, type TrustBundle } from '@nestoken/core';
import { TxnTokenService, type TxnTokenServiceOptions } from '../src/index.js';

export const TRUST_DOMAIN = 'trust-domain.example';
export const TTS = 'spiffe://trust-domain.example/tts';
export const NOW = 1686536226;

const seeded = (label: string): SigningKey => {
  const seed = new Uint8Array(32);
  seed.set(new TextEncoder().encode(label).subarray(0, 32));
  return signingKeyFromSeed(seed);
};

export interface OAuthWorld {
  readonly tts: TxnTokenService;
  readonly jwks: JSONWebKeySet;
  readonly keys: Readonly<Record<'tts' | 'gateway' | 'foo' | 'bar' | 'mallory', SigningKey>>;
  readonly identity: (name: string) => string;
  readonly trust: TrustBundle;
  readonly make: (overrides?: Partial<TxnTokenServiceOptions>) => TxnTokenService;
}

/** One TTS (ES256 Txn-Tokens, Ed25519 root layers) and three workloads of one trust domain. */
export async function oauthWorld(kid = 'identifier-to-key'): Promise<OAuthWorld> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  const keys = { tts: seeded('tts'), gateway: seeded('gateway'), foo: seeded('foo'), bar: seeded('bar'), mallory: seeded('mallory') };
  const identity = (name: string) => `spiffe://${TRUST_DOMAIN}/${name}`;
  const trust = createTrustBundle({ signers: Object.entries(keys).map(([name, key]) => ({ identity: identity(name), key: key.publicKey })) });
  const make = (overrides: Partial<TxnTokenServiceOptions> = {}) =>
    new TxnTokenService({
      trustDomain: TRUST_DOMAIN,
      signingKey: { key: privateKey, alg: 'ES256', kid },
      publicKeys: jwks,
      lifetime: 360,
      now: () => NOW,
      authenticateClient: async (headers) => {
        // A stand-in for mutual TLS or a WIT: the test names the caller in a header.
        const name = headers['x-test-workload'] ?? 'gateway';
        return { workload: name === 'apigateway' ? 'apigateway.trust-domain.example' : identity(name), ...(name in keys ? { key: keys[name as keyof typeof keys].publicKey } : {}) };
      },
      validateAccessToken: async (token) => (token.startsWith('eyJhbGciOiJFUzI1NiIsImtpZC') ? { sub: 'd084sdrt234fsaw34tr23t', scope: 'trade.stocks trade.bonds' } : undefined),
      chain: { key: keys.tts, identity: TTS, trust },
      ...overrides,
    });
  return { tts: make(), jwks, keys, identity, trust, make };
}
