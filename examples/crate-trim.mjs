// Tokens in buckets in a crate; trimming discloses one bucket and keeps the root verifiable.
// Run: node examples/crate-trim.mjs
import { createTrustBundle, encodeToken, generateSigningKey, issue } from '@nestoken/core';
import { buildCrate, decodeCrate, present, sizeReport, toCompact, verifyCrate } from '@nestoken/crate';

const now = Math.floor(Date.now() / 1000);
const [idp, api] = [generateSigningKey(), generateSigningKey()];
const trust = createTrustBundle({ signers: [{ identity: 'spiffe://example.org/idp', key: idp.publicKey }] });
const token = encodeToken(await issue({ key: idp, audienceKey: api.publicKey, claims: { sub: 'alice', iat: now, exp: now + 300 } }), 'jwt');

const crate = buildCrate({
  buckets: [
    { name: 'request', tokens: [{ format: 'nestoken', bytes: token }] },
    { name: 'audit', tokens: [{ format: 'other', bytes: 'internal audit record' }] },
  ],
});
const request = [...crate.blocks].find(([, b]) => b.node.type === 'bucket' && b.node.name === 'request')[0];
const disclosed = present(crate, [request]);
const header = toCompact(disclosed); // fits an HTTP header: Nestoken-Crate: <header>

const report = await verifyCrate(decodeCrate(header), { trust, tokens: { audience: api.publicKey } });
const size = sizeReport(disclosed);
console.log(`root ${report.root}: ${size.nodes} nodes present, ${size.trimmed} trimmed, ${size.compactChars} characters as a header`);
for (const t of report.tokens) console.log(`  token ${t.format}: ${t.chain ? t.chain.hops.map((h) => h.identity).join(' -> ') : 'carried'}`);
