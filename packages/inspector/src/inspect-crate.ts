import type { TrustBundle } from '@nestoken/core';
import { decodeCrate, graphModel, isCompactText, sizeReport, verifyCrate, type Crate, type CrateVerifyOptions } from '@nestoken/crate';
import { base64, base64url } from '@scure/base';
import { failureOf } from './failure.js';
import type { CrateView, Verdict } from './model.js';

/** Padded or unpadded, standard or URL alphabet: however a CAR file was pasted as base64. */
function base64Bytes(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  const padded = compact.padEnd(Math.ceil(compact.length / 4) * 4, '=');
  return /[+/]/.test(compact) ? base64.decode(padded) : base64url.decode(padded);
}

/** The compact form when the text is one (base64url of a DAG-CBOR list), else a CAR given as base64. */
function readCrate(text: string): { crate: Crate; input: 'compact' | 'car' } {
  const bytes = new TextEncoder().encode(text);
  if (isCompactText(bytes)) {
    try {
      return { crate: decodeCrate(text), input: 'compact' };
    } catch (compactError) {
      try {
        return { crate: decodeCrate(base64Bytes(text)), input: 'car' };
      } catch {
        throw compactError;
      }
    }
  }
  let car: Uint8Array;
  try {
    car = base64Bytes(text);
  } catch {
    return { crate: decodeCrate(text), input: 'compact' }; // reports the malformed input with its code
  }
  return { crate: decodeCrate(car), input: 'car' };
}

export async function inspectCrate(text: string, trust: TrustBundle | undefined, now: number): Promise<CrateView> {
  const { crate, input } = readCrate(text.trim());
  const { nodes, edges } = graphModel(crate);
  let verdict: Verdict = { status: 'unverified', reason: 'no trust bundle: the nodes are hashed and linked, the tokens and attestations not verified' };
  let tokens: CrateView['tokens'] = [];
  if (trust) {
    try {
      // The page is nobody's audience: the tokens inside are shown whoever they were for.
      const report = await verifyCrate(crate, { trust, now, tokens: { allowAnyAudience: true } as CrateVerifyOptions['tokens'] & object });
      verdict = { status: 'valid', mode: 'crate', sealed: false, issuer: report.root };
      tokens = report.tokens.map((t) => ({ cid: t.cid, format: t.format, ...(t.chain ? { identities: t.chain.hops.map((h) => h.identity) } : {}) }));
    } catch (e) {
      verdict = { status: 'invalid', failure: failureOf(e) };
    }
  }
  return { root: crate.root.toString(), input, nodes, edges, sizes: sizeReport(crate), verdict, tokens };
}
