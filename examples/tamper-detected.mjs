// Changing one character of a layer is caught, with a stable error code and the layer it hit.
// Run: node examples/tamper-detected.mjs
import { createTrustBundle, encodeToken, generateSigningKey, isNestokenError, issue, verify } from '@nestoken/core';

const now = Math.floor(Date.now() / 1000);
const [idp, api] = [generateSigningKey(), generateSigningKey()];
const trust = createTrustBundle({ signers: [{ identity: 'spiffe://example.org/idp', key: idp.publicKey }] });
const token = await issue({ key: idp, audienceKey: api.publicKey, claims: { sub: 'alice', iat: now, exp: now + 300 } });

const wire = encodeToken(token, 'jwt');
const at = wire.length - 10;
const tampered = wire.slice(0, at) + (wire[at] === 'A' ? 'B' : 'A') + wire.slice(at + 1);
try {
  await verify(tampered, { trust, audience: api.publicKey });
  console.log('accepted (this must not happen)');
  process.exitCode = 1;
} catch (e) {
  if (!isNestokenError(e)) throw e;
  console.log(`rejected: ${e.code} at layer ${e.layer} — ${e.message}`);
}
