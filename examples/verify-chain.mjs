// A three-hop chain: an issuer, a gateway and a service each sign a layer; the last service
// verifies the whole path against a trust bundle. Run: node examples/verify-chain.mjs
import { createTrustBundle, extend, generateSigningKey, issue, verify } from '@nestoken/core';

const now = Math.floor(Date.now() / 1000);
const names = ['idp', 'gateway', 'orders', 'ledger'];
const keys = names.map(() => generateSigningKey());
const identity = (i) => `spiffe://example.org/${names[i]}`;
const trust = createTrustBundle({ signers: keys.map((key, i) => ({ identity: identity(i), key: key.publicKey })) });

// The issuer starts the chain and names the gateway's key as the only one that may extend it.
let token = await issue({
  key: keys[0],
  audienceKey: keys[1].publicKey,
  claims: { iss: identity(0), sub: 'alice', iat: now, exp: now + 300 },
});
// Each hop adds its own layer (here the second one in CBOR) and hands the token on.
token = await extend(token, { key: keys[1], audienceKey: keys[2].publicKey, claims: { data: { route: '/orders' } }, format: 'cbor' });
token = await extend(token, { key: keys[2], audienceKey: keys[3].publicKey, claims: { data: { order: 7 } } });

// The ledger verifies as the audience of the last layer and learns who touched the request.
const path = await verify(token, { trust, audience: keys[3].publicKey });
console.log(`${path.mode} chain issued by ${path.issuer}`);
for (const hop of path.hops) console.log(`  hop ${hop.index}: ${hop.identity} (${hop.format})`);
