import { DEFAULT_LIMITS, decodeToken, encodeToken, verify, type Layer, type TrustBundle, type VerifyOptions } from '@nestoken/core';
import { base64urlnopad, hex } from '@scure/base';
import { failureOf } from './failure.js';
import type { ChainView, LayerView, Verdict } from './model.js';

/** Claims as JSON the page can print: byte strings (CBOR form) as hex. */
function jsonSafe(value: unknown): unknown {
  if (value instanceof Uint8Array) return `h'${hex.encode(value)}'`;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonSafe(v)]));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function layerView(layer: Layer, index: number, trust: TrustBundle | undefined): LayerView {
  const kid = layer.header.kid;
  const bundled = kid === undefined ? undefined : trust?.signers.get(kid)?.identity;
  const iss = typeof layer.claims.iss === 'string' ? layer.claims.iss : undefined;
  const identity = kid === undefined ? 'anonymous' : (bundled ?? iss);
  const source: LayerView['identitySource'] = kid === undefined ? 'anonymous' : bundled ? 'trust bundle' : iss ? 'iss claim (unverified)' : 'unknown';
  return {
    index,
    format: layer.format,
    alg: layer.header.alg,
    ...(kid === undefined ? {} : { keyThumbprint: kid }),
    ...(identity === undefined ? {} : { identity }),
    identitySource: source,
    ...(layer.claims.cnf?.jkt === undefined ? {} : { nextKey: layer.claims.cnf.jkt }),
    times: {
      ...(num(layer.claims.iat) === undefined ? {} : { iat: num(layer.claims.iat)! }),
      ...(num(layer.claims.nbf) === undefined ? {} : { nbf: num(layer.claims.nbf)! }),
      ...(num(layer.claims.exp) === undefined ? {} : { exp: num(layer.claims.exp)! }),
    },
    claims: jsonSafe(layer.claims) as Record<string, unknown>,
    bytes: layer.bytes.length,
  };
}

/**
 * Reads the token (either form), describes every layer, and when a trust bundle is given runs
 * the verifier of the shipped library on it. No audience is known here: any is accepted.
 */
export async function inspectToken(text: string, trust: TrustBundle | undefined, now: number): Promise<ChainView> {
  const { token, form } = decodeToken(text, DEFAULT_LIMITS);
  const aggregate = token.layers.some((l) => l.header.alg === 'nst-r255');
  let verdict: Verdict = { status: 'unverified', reason: 'no trust bundle: the layers are decoded, not verified' };
  let layers = token.layers.map((l, i) => layerView(l, i, trust));
  if (trust) {
    try {
      // allowAnyAudience: the page is nobody's audience; it shows the chain, whoever it was for.
      const path = await verify(text, { trust, now, allowAnyAudience: true } as VerifyOptions);
      verdict = { status: 'valid', mode: path.mode, sealed: path.sealed, issuer: path.issuer };
      layers = layers.map((l, i) => ({ ...l, identity: path.hops[i]!.identity, identitySource: path.hops[i]!.anonymous ? 'anonymous' : 'proven' }));
    } catch (e) {
      verdict = { status: 'invalid', failure: failureOf(e) };
    }
  }
  const cbor = encodeToken(token, 'cbor');
  return {
    form,
    mode: aggregate ? 'aggregate' : 'id',
    layers,
    sizes: { input: new TextEncoder().encode(text).length, jwtForm: encodeToken(token, 'jwt').length, cborForm: cbor.length, cborBase64url: base64urlnopad.encode(cbor).length },
    verdict,
  };
}
