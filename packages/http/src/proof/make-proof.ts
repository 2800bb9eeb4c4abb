import { NestokenError, type SigningKey } from '@nestoken/core';
import { NESTOKEN_SCALAR_HEADER } from '../aggregate/scalar-transport.js';
import { NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER } from '../headers.js';
import { proofAlgOf } from './confirmation-key.js';
import { tokenHash } from './token-hash.js';
import { accessTokenOf, DEFAULT_PROOF_LIFETIME, joseAlgOf, newJti, proofAudience, sameJoseAlg, signWorkloadProof } from './wpt.js';

/** What `workloadProof` signs a proof with and over: the key, the WIT, the headers and tokens sent with the request. */
export interface WorkloadProofInput {
  /** The key the WIT confirms. */
  readonly key: SigningKey;
  /** The sender's WIT, sent as `Workload-Identity-Token`. */
  readonly identityDocument: string;
  /** Headers sent with the request; `Nestoken`, `Nestoken-Crate` and `Nestoken-Scalar` among them are bound under `oth`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `Authorization` and `Txn-Token` values sent: bound as `ath` and `tth`. */
  readonly authorization?: string;
  readonly txnToken?: string;
  /** Seconds since the epoch; default: the clock. */
  readonly now?: number;
  /** Seconds; default 30, at most 60. */
  readonly lifetime?: number;
  /** Where the `jti` bytes come from; default: the platform's secure random source. */
  readonly random?: (length: number) => Uint8Array;
}

/**
 * The Workload Proof Token for one request (spec §11.7): for this target URI, with a fresh
 * 128-bit `jti`, binding the WIT (`wth`), the nestoken headers (`oth`) and any `Authorization`
 * / `Txn-Token` sent. For a hop, the key is also the one that signed its layer.
 */
export async function workloadProof(url: string | URL, input: WorkloadProofInput): Promise<string> {
  const lifetime = input.lifetime ?? DEFAULT_PROOF_LIFETIME;
  if (!Number.isSafeInteger(lifetime) || lifetime < 1 || lifetime > 60) throw new NestokenError('ERR_USAGE', 'a proof lives 1 to 60 seconds');
  // The proof's alg is the WIT's cnf.jwk.alg, and the key must be the one it confirms.
  const alg = proofAlgOf(input.identityDocument);
  if (!sameJoseAlg(alg, joseAlgOf(input.key))) throw new NestokenError('ERR_USAGE', `the WIT confirms an ${alg} key; this signer's key is ${joseAlgOf(input.key)}`);
  const oth: Record<string, string> = {};
  for (const name of [NESTOKEN_HEADER, NESTOKEN_CRATE_HEADER, NESTOKEN_SCALAR_HEADER]) {
    const value = input.headers?.[name];
    if (value !== undefined) oth[name.toLowerCase()] = tokenHash(value);
  }
  const now = input.now ?? Math.floor(Date.now() / 1000);
  return signWorkloadProof(
    {
      aud: proofAudience(url),
      exp: now + lifetime,
      jti: newJti(input.random),
      wth: tokenHash(input.identityDocument),
      ...(input.authorization !== undefined ? { ath: tokenHash(accessTokenOf(input.authorization)) } : {}),
      ...(input.txnToken !== undefined ? { tth: tokenHash(input.txnToken) } : {}),
      ...(Object.keys(oth).length > 0 ? { oth } : {}),
    },
    input.key,
    alg,
  );
}
