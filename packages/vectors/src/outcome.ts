import { loadTrustInput } from './trust-input.js';
import { isNestokenError, verify, type ErrorCode, type LayerAlg, type ChainMode, type ProvenPath, type RevocationQuery, type TrustBundle, type VerifyOptions } from '@nestoken/core';
import { fromHex } from './bytes.js';
import { verifyTxnBound } from '@nestoken/oauth';
import { INPUT_KINDS, type ExpectedPath, type InputKind, type TokenGroup, type TokenInputs, type VerifierOptionsJson } from './model.js';

/** What one verification gave: the proven path in vector terms, or the error code and layer. */
export type Outcome<V = ExpectedPath> =
  | { readonly result: 'valid'; readonly value: V }
  | { readonly result: 'invalid'; readonly code: ErrorCode; readonly layer?: number };

export function inputsOf(test: TokenInputs): Array<{ kind: InputKind; input: string | Uint8Array }> {
  const out: Array<{ kind: InputKind; input: string | Uint8Array }> = [];
  for (const kind of INPUT_KINDS) {
    const v = test[kind];
    if (v === undefined) continue;
    out.push({ kind, input: kind === 'cborHex' || kind === 'binaryHex' ? fromHex(v) : v });
  }
  return out;
}

function denyList(revoked: NonNullable<VerifierOptionsJson['revoked']>) {
  const listed = (values: readonly string[] | undefined, v: string | undefined) => v !== undefined && (values ?? []).includes(v);
  return (q: RevocationQuery): boolean =>
    listed(revoked.jti, q.jti) || listed(revoked.digest, q.digest) || listed(revoked.identity, q.identity) || listed(revoked.keyThumbprint, q.keyThumbprint);
}

export function verifyOptionsOf(json: VerifierOptionsJson | undefined, trust: TrustBundle, now: number): VerifyOptions {
  const o = json ?? {};
  return {
    trust,
    now,
    ...(o.audience !== undefined ? { audience: o.audience } : {}),
    ...(o.audienceIdentity !== undefined ? { audienceIdentity: o.audienceIdentity } : {}),
    ...(o.allowAnyAudience !== undefined ? { allowAnyAudience: o.allowAnyAudience } : {}),
    ...(o.issuers !== undefined ? { issuers: o.issuers } : {}),
    ...(o.clockSkew !== undefined ? { clockSkew: o.clockSkew } : {}),
    ...(o.algorithms !== undefined ? { algorithms: o.algorithms as LayerAlg[] } : {}),
    ...(o.modes !== undefined ? { modes: o.modes as ChainMode[] } : {}),
    ...(o.requireSealed !== undefined ? { requireSealed: o.requireSealed } : {}),
    ...(o.aggregateVerifier !== undefined ? { aggregateVerifier: o.aggregateVerifier } : {}),
    ...(o.limits !== undefined ? { limits: o.limits } : {}),
    ...(o.revoked !== undefined ? { isRevoked: denyList(o.revoked) } : {}),
  };
}

/** The members of a proven path that vectors pin; claims are in the token itself. */
export function projectPath(p: ProvenPath): ExpectedPath {
  return {
    mode: p.mode,
    issuer: p.issuer,
    sealed: p.sealed,
    expiresAt: p.expiresAt,
    ...(p.notBefore !== undefined ? { notBefore: p.notBefore } : {}),
    hops: p.hops.map((h) => ({
      index: h.index,
      identity: h.identity,
      via: h.via,
      format: h.format,
      digest: h.digest,
      ...(h.keyThumbprint !== undefined ? { keyThumbprint: h.keyThumbprint } : {}),
      ...(h.audienceKey !== undefined ? { audienceKey: h.audienceKey } : {}),
    })),
  };
}

/** Only NestokenErrors are verdicts; anything else is a bug and propagates. */
export function failureOf(e: unknown): Outcome<never> {
  if (!isNestokenError(e)) throw e;
  return e.layer === undefined ? { result: 'invalid', code: e.code } : { result: 'invalid', code: e.code, layer: e.layer };
}

/** Bundles are read once per group: reading checks every key (§3.5), which costs more than most tests. */
const bundles = new WeakMap<object, TrustBundle | Outcome<never>>();

export function loadGroupTrust(group: Pick<TokenGroup, 'trust'>): TrustBundle | Outcome<never> {
  const cached = bundles.get(group);
  if (cached) return cached;
  let loaded: TrustBundle | Outcome<never>;
  try {
    loaded = loadTrustInput(group.trust);
  } catch (e) {
    loaded = failureOf(e);
  }
  bundles.set(group, loaded);
  return loaded;
}

type TxnKeys = Parameters<typeof verifyTxnBound>[2]['txnToken']['keys'];

/** Verifies every input of one test with the project's verifier. */
export async function runTokenTest(
  group: Pick<TokenGroup, 'trust' | 'txnTokenKeys' | 'txnTrustDomain'>,
  test: TokenInputs & { now: number; options?: VerifierOptionsJson; txnToken?: string },
): Promise<Array<{ kind: InputKind; outcome: Outcome }>> {
  const trust = loadGroupTrust(group);
  const results: Array<{ kind: InputKind; outcome: Outcome }> = [];
  for (const { kind, input } of inputsOf(test)) {
    if ('result' in trust) {
      results.push({ kind, outcome: trust });
      continue;
    }
    let outcome: Outcome;
    try {
      const options = verifyOptionsOf(test.options, trust, test.now);
      const path =
        test.txnToken === undefined
          ? await verify(input, options)
          : (await verifyTxnBound(input, test.txnToken, { chain: options, txnToken: { keys: group.txnTokenKeys as TxnKeys, trustDomain: group.txnTrustDomain! } })).path;
      outcome = { result: 'valid', value: projectPath(path) };
    } catch (e) {
      outcome = failureOf(e);
    }
    results.push({ kind, outcome });
  }
  return results;
}
