import { readFileSync } from 'node:fs';
import { importPrivateJwk, loadWitIssuers, NestokenError } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { MemoryReplayCache, signWorkloadProof, verifyWorkloadProof, type RequestHeaders, type WorkloadProofClaims } from '../src/index.js';

/** The published WIMSE example (fixtures/wimse/ORIGIN.md). */
const read = (name: string) => readFileSync(new URL(`./fixtures/wimse/${name}`, import.meta.url), 'utf8');
const wpt = read('wpt.txt').trim();
const wit = read('wit.txt').trim();
const requestText = read('wpt-request.txt');
const workload = importPrivateJwk(JSON.parse(read('workload.private.jwk')));
// The example's issuer key as the draft prints it (no `use`), loaded as a plain JWKS of WIT issuers for its trust domain.
const trust = loadWitIssuers({ keys: [JSON.parse(read('wit-issuer.public.jwk'))] }, { trustDomain: 'example.com' });

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const claims = decode(wpt.split('.')[1]!) as unknown as WorkloadProofClaims;
/** A time inside the WPT's lifetime (it expires at `exp`). */
const NOW = claims.exp - 20;

/** The example request, as a server sees it: request line, then every field line. */
function parseRequest(text: string): RequestHeaders & { host: string } {
  const [head] = text.split(/\r?\n\r?\n/, 1);
  const [line, ...fields] = head!.split(/\r?\n/);
  const [method, url] = line!.split(' ');
  const rawHeaders = fields.flatMap((f) => {
    const i = f.indexOf(':');
    return [f.slice(0, i), f.slice(i + 1).trim()];
  });
  const host = rawHeaders[rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'host') + 1]!;
  return { method, url, rawHeaders, origin: `https://${host}`, host };
}

const options = () => ({ trust, now: () => NOW, replayCache: new MemoryReplayCache({ now: () => NOW }) });

describe('the WIMSE example (draft-ietf-wimse-wpt, draft-ietf-wimse-workload-creds)', () => {
  it('a WPT made by nestoken from workload.private.jwk with the example header and claims is byte-identical to wpt.txt', async () => {
    expect(decode(wpt.split('.')[0]!)).toEqual({ alg: 'EdDSA', typ: 'wpt+jwt' });
    const made = await signWorkloadProof(claims, workload);
    expect(made).toBe(wpt);
  });

  it('the middleware accepts the example request: WIT verified, wth and ath recomputed', async () => {
    const request = parseRequest(requestText);
    const caller = await verifyWorkloadProof(request, options());
    expect(caller.identity).toBe('wimse://example.com/specific-workload');
    expect(caller.proof.jti).toBe(claims.jti);
    // One ConfirmationKey, core's: the algorithm by its name, and as the WIT writes it (what the WPT's alg must equal).
    expect(caller.confirmation).toMatchObject({ alg: 'Ed25519', jwsAlg: 'EdDSA', thumbprint: caller.keyThumbprint });
  });

  it('refuses the example request when any header the proof covers changes', async () => {
    const base = parseRequest(requestText);
    const changed = (name: string, value: string): RequestHeaders => {
      const raw = [...base.rawHeaders!];
      const i = raw.findIndex((h, j) => j % 2 === 0 && h.toLowerCase() === name.toLowerCase());
      raw[i + 1] = value;
      return { ...base, rawHeaders: raw };
    };
    const refusal = (r: RequestHeaders) => verifyWorkloadProof(r, options()).then(() => 'accepted', (e: NestokenError) => e.code);
    expect(await refusal(changed('Authorization', 'Bearer 16_mAd0GiwaZokU26_0902101'))).toBe('ERR_PROOF_MISMATCH');
    const otherWit = wit.slice(0, -2) + (wit.endsWith('Jw') ? 'JA' : 'Jw');
    expect(await refusal(changed('Workload-Identity-Token', otherWit))).not.toBe('accepted');
    expect(await refusal({ ...base, url: '/other' })).toBe('ERR_PROOF_MISMATCH');
    expect(await refusal({ ...base, origin: 'https://elsewhere.example.com' })).toBe('ERR_PROOF_MISMATCH');
    // Removing the access token: ath is then present without the token it hashes.
    expect(await refusal({ ...base, rawHeaders: base.rawHeaders!.filter((_, j, a) => a[j - (j % 2)]!.toLowerCase() !== 'authorization') })).toBe('ERR_PROOF_MISMATCH');
    // A Nestoken header the proof does not cover.
    expect(await refusal({ ...base, rawHeaders: [...base.rawHeaders!, 'Nestoken', 'x'] })).toBe('ERR_PROOF_MISMATCH');
  });

  it('refuses it after it expires, and a second time', async () => {
    const request = parseRequest(requestText);
    await expect(verifyWorkloadProof(request, { trust, now: () => claims.exp + 61 })).rejects.toMatchObject({ code: 'ERR_EXPIRED' });
    const once = options();
    await verifyWorkloadProof(request, once);
    await expect(verifyWorkloadProof(request, once)).rejects.toMatchObject({ code: 'ERR_PROOF_REPLAYED' });
  });
});
