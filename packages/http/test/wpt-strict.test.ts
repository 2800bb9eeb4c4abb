import { readFileSync } from 'node:fs';
import { exportPublicJwk, generateSigningKey, importPrivateJwk, loadWitIssuers, NestokenError, signWith, type SigningKey } from '@nestoken/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWorkloadProof, MemoryReplayCache, signWorkloadProof, tokenHash, verifyWorkloadProof, type ProofSubject, type RequestHeaders, type WorkloadProofClaims } from '../src/index.js';

/** The published WIMSE example (fixtures/wimse/ORIGIN.md). */
const read = (name: string) => readFileSync(new URL(`./fixtures/wimse/${name}`, import.meta.url), 'utf8');
const exampleWpt = read('wpt.txt').trim();
const wit = read('wit.txt').trim();
const workload = importPrivateJwk(JSON.parse(read('workload.private.jwk')));
const trust = loadWitIssuers({ keys: [JSON.parse(read('wit-issuer.public.jwk'))] }, { trustDomain: 'example.com' });
const exampleClaims = JSON.parse(Buffer.from(exampleWpt.split('.')[1]!, 'base64url').toString('utf8')) as WorkloadProofClaims;
const NOW = exampleClaims.exp - 20;
const AUD = 'https://workload.example.com/path';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
/** A compact JWS over header and claims exactly as written, signed with the example's workload key. */
async function signedText(header: string, claims: string, key: SigningKey = workload): Promise<string> {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${Buffer.from(await signWith(key, new TextEncoder().encode(input))).toString('base64url')}`;
}

/** A request to the example's target carrying the example WIT and these other fields. */
const requestWith = (fields: Record<string, string>): RequestHeaders => ({
  method: 'POST',
  url: '/path',
  origin: 'https://workload.example.com',
  rawHeaders: Object.entries({ Host: 'workload.example.com', 'Workload-Identity-Token': wit, ...fields }).flat(),
});
const options = () => ({ trust, now: () => NOW, replayCache: new MemoryReplayCache({ now: () => NOW }) });
const outcome = (r: RequestHeaders) =>
  verifyWorkloadProof(r, options()).then(
    () => 'accepted',
    (e: unknown) => (e instanceof NestokenError ? e.code : Promise.reject(e)),
  );

/** Claims for the example's target with no `ath`: a proof that itself occupies `Authorization`. */
const ownClaims = (jti: string) => JSON.stringify({ aud: AUD, exp: exampleClaims.exp, jti, wth: tokenHash(wit) });

describe('the WPT is read as I-JSON: one value per member', () => {
  it('a proof written by hand the same way verifies (the control)', async () => {
    const wpt = await signedText('{"alg":"EdDSA","typ":"wpt+jwt"}', ownClaims('control'));
    expect(await outcome(requestWith({ 'Workload-Proof-Token': wpt }))).toBe('accepted');
  });

  it('refuses a header or claims that repeat a member name, even when signed by the right key', async () => {
    const header = await signedText('{"alg":"EdDSA","typ":"wpt+jwt","typ":"wpt+jwt"}', ownClaims('dup-header'));
    expect(await outcome(requestWith({ 'Workload-Proof-Token': header }))).toBe('ERR_DUPLICATE_KEY');
    const claims = ownClaims('dup-claims').replace('{', `{"aud":"https://elsewhere.example.com/path",`);
    expect(await outcome(requestWith({ 'Workload-Proof-Token': await signedText('{"alg":"EdDSA","typ":"wpt+jwt"}', claims) }))).toBe('ERR_DUPLICATE_KEY');
    // An escaped spelling names the same member.
    const escaped = await signedText('{"alg":"EdDSA","typ":"wpt+jwt","\\u0074yp":"wpt+jwt"}', ownClaims('dup-escaped'));
    expect(await outcome(requestWith({ 'Workload-Proof-Token': escaped }))).toBe('ERR_DUPLICATE_KEY');
  });

  it('refuses critical header parameters and claims outside the data model', async () => {
    const crit = await signedText('{"alg":"EdDSA","b64":false,"crit":["b64"],"typ":"wpt+jwt"}', ownClaims('crit'));
    expect(await outcome(requestWith({ 'Workload-Proof-Token': crit }))).toBe('ERR_CRIT_UNSUPPORTED');
    const big = await signedText('{"alg":"EdDSA","typ":"wpt+jwt"}', ownClaims('big').replace('{', '{"n":1e400,'));
    expect(await outcome(requestWith({ 'Workload-Proof-Token': big }))).toBe('ERR_PROOF_INVALID');
  });
});

describe('Authorization: WPT (draft-ietf-wimse-wpt-02 §2)', () => {
  it('reads the proof from the WPT authentication scheme, the scheme name in any case', async () => {
    for (const scheme of ['WPT', 'wpt', 'Wpt']) {
      const wpt = await signedText('{"alg":"EdDSA","typ":"wpt+jwt"}', ownClaims(`scheme-${scheme}`));
      expect(await outcome(requestWith({ Authorization: `${scheme} ${wpt}` }))).toBe('accepted');
    }
  });

  it('the example proof, moved into Authorization, is refused: its ath names a bearer token no longer sent', async () => {
    expect(await outcome(requestWith({ Authorization: `WPT ${exampleWpt}` }))).toBe('ERR_PROOF_MISMATCH');
  });

  it('refuses a proof in both places, and a WPT scheme without token68 credentials', async () => {
    const wpt = await signedText('{"alg":"EdDSA","typ":"wpt+jwt"}', ownClaims('both'));
    expect(await outcome(requestWith({ Authorization: `WPT ${wpt}`, 'Workload-Proof-Token': wpt }))).toBe('ERR_MALFORMED');
    expect(await outcome(requestWith({ Authorization: 'WPT' }))).toBe('ERR_PROOF_INVALID');
    expect(await outcome(requestWith({ Authorization: 'WPT a b' }))).toBe('ERR_PROOF_INVALID');
    expect(await outcome(requestWith({ Authorization: `WPT ${wpt}`, authorization: `WPT ${wpt}` }))).toBe('ERR_MALFORMED');
  });
});

describe("the WPT signature checked through core's seam gives jose's answer", () => {
  const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const be = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  const toBe = (n: bigint, len: number) => Uint8Array.from(Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex'));
  const le = (bytes: Uint8Array) => be(Uint8Array.from(bytes).reverse());
  const toLe = (n: bigint, len: number) => toBe(n, len).reverse();

  /** Other spellings of a valid signature: the high S of ECDSA, S + L for Ed25519. */
  function malleated(sig: Uint8Array, alg: 'Ed25519' | 'ES256'): Uint8Array {
    if (alg === 'ES256') return Uint8Array.from([...sig.slice(0, 32), ...toBe(N - be(sig.slice(32)), 32)]);
    const s = le(sig.slice(32)) + L;
    return s < 2n ** 256n ? Uint8Array.from([...sig.slice(0, 32), ...toLe(s, 32)]) : sig;
  }

  it('for Ed25519 and ES256 keys, whatever the signature bytes or the signed text', async () => {
    const keys = { Ed25519: generateSigningKey(), ES256: generateSigningKey({ alg: 'ES256' }) };
    const subject = (w: string): ProofSubject => ({ audience: AUD, wit: w, covered: {} });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Ed25519', 'ES256') as fc.Arbitrary<'Ed25519' | 'ES256'>,
        fc.constantFrom('valid', 'malleated', 'flipped', 'random', 'other-text'),
        fc.nat(511),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        async (alg, change, bit, random) => {
          const key = keys[alg];
          const jwsAlg = alg === 'ES256' ? 'ES256' : 'EdDSA';
          const claims: WorkloadProofClaims = { aud: AUD, exp: NOW + 30, jti: `j${bit}`, wth: tokenHash('w') };
          const [h, p, s] = (await signWorkloadProof(claims, key)).split('.') as [string, string, string];
          let sig: Uint8Array = Buffer.from(s, 'base64url');
          let payload = p;
          if (change === 'malleated') sig = malleated(sig, alg);
          if (change === 'flipped') sig = Uint8Array.from(sig, (x, i) => (i === bit >> 3 ? x ^ (1 << (bit & 7)) : x));
          if (change === 'random') sig = random;
          if (change === 'other-text') payload = b64(JSON.stringify({ ...claims, jti: 'other' }));
          const wpt = `${h}.${payload}.${Buffer.from(sig).toString('base64url')}`;
          const confirmation = { jwk: exportPublicJwk(key), jwsAlg, alg: key.publicKey.alg, thumbprint: key.publicKey.kid };
          const verdict = (withKey: boolean) =>
            checkWorkloadProof(wpt, subject('w'), { confirmation, ...(withKey ? { key: key.publicKey } : {}), now: NOW, clockSkew: 0, maxLifetime: 60 }).then(
              () => 'accepted',
              (e: unknown) => (e instanceof NestokenError ? e.code : Promise.reject(e)),
            );
          const [seam, jose] = [await verdict(true), await verdict(false)];
          expect(seam).toBe(jose);
          if (change === 'valid') expect(seam).toBe('accepted');
        },
      ),
      { numRuns: 120 },
    );
  });
});
