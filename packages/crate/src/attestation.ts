import {
  encodeToken,
  issue,
  NestokenError,
  verify,
  type JsonValue,
  type SigningKey,
  type VerifyOptions,
} from '@nestoken/core';
import { cidKey, type NodeCid } from './cid.js';

/** Marks a nestoken as a crate attestation statement, so no other token is read as one. */
export const ATTESTATION_CONTEXT = 'nestoken-crate/1';

/** How an attestation is signed: key, lifetime, issuer, identity document. */
export interface AttestOptions {
  /** The attester's key; its public half must be in the verifier's trust bundle or vouched for by `identityDocument`. */
  readonly key: SigningKey;
  /** Seconds since the epoch; core requires every chain to expire. */
  readonly expiresAt: number;
  readonly notBefore?: number;
  readonly issuedAt?: number;
  /** The attester's identity; when set, it must match the identity its key is trusted for. */
  readonly issuer?: string;
  /** A WIT / JWT-SVID binding `key` to the attester's workload identity. */
  readonly identityDocument?: string;
  /**
   * The chain this attestation is made for: the `digest` of its root layer (core's
   * `layerDigest`, as in `ProvenHop.digest`). A verifier given a chain counts only
   * attestations that name it and were signed by one of its hops (spec §10.9).
   */
  readonly chain?: string;
}

/**
 * The statement is a one-layer ID-mode nestoken in CBOR form (spec §10.4.2). Core's ID mode binds
 * each layer to a next key; a statement is handed to nobody, so it names its own signer.
 */
export async function signStatement(subjects: readonly NodeCid[], options: AttestOptions): Promise<Uint8Array> {
  const data: JsonValue = { ctx: ATTESTATION_CONTEXT, attests: subjects.map(cidKey), ...(options.chain !== undefined ? { chain: options.chain } : {}) };
  const token = await issue({
    key: options.key,
    audienceKey: options.key.publicKey,
    claims: {
      ...(options.issuer !== undefined ? { iss: options.issuer } : {}),
      exp: options.expiresAt,
      ...(options.notBefore !== undefined ? { nbf: options.notBefore } : {}),
      ...(options.issuedAt !== undefined ? { iat: options.issuedAt } : {}),
      data,
    },
    format: 'cbor',
    use: 'attestation',
    ...(options.identityDocument !== undefined ? { identityDocument: options.identityDocument } : {}),
  });
  return encodeToken(token, 'cbor');
}

/** A verified attestation: who signed which CIDs, and when it expires. */
export interface AttestationReport {
  readonly cid: string;
  /** The identity the trust bundle (or an identity document) gives the signing key. */
  readonly attester: string;
  readonly keyThumbprint: string;
  readonly via: 'trust-bundle' | 'identity-document';
  readonly subjects: readonly string[];
  readonly expiresAt: number;
  /** The root-layer digest of the chain the statement names, when it names one. */
  readonly chain?: string;
}

const invalid = (cid: string, message: string): never => {
  throw new NestokenError('ERR_CRATE_NODE_INVALID', `attestation ${cid}: ${message}`);
};

function sameList(a: unknown, b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Verifies the statement with core and checks that it vouches for exactly the node's subjects:
 * `cid` and `subjects` are the texts of the node's CID and of its subjects, in the node's order.
 */
export async function checkAttestation(cid: string, subjects: readonly string[], statement: Uint8Array, options: VerifyOptions): Promise<AttestationReport> {
  let path;
  try {
    path = await verify(statement, { allowAnyAudience: true, ...options, algorithms: ['Ed25519'], modes: ['id'], use: 'attestation' });
  } catch (e) {
    if (e instanceof NestokenError) throw new NestokenError(e.code, `attestation ${cid}: ${e.message}`, { cause: e });
    throw e;
  }
  const hop = path.hops[0]!;
  if (path.hops.length !== 1) invalid(cid, 'the statement must be a single layer');
  if (path.form !== 'cbor' || hop.format !== 'cbor') invalid(cid, 'the statement must be in CBOR form');
  if (hop.audienceKey !== hop.keyThumbprint) invalid(cid, 'the statement must name its own signer as audience');
  const data = hop.claims.data as Record<string, unknown> | undefined;
  const members = typeof data === 'object' && data !== null ? Object.keys(data).sort().join(',') : '';
  if ((members !== 'attests,ctx' && members !== 'attests,chain,ctx') || data!.ctx !== ATTESTATION_CONTEXT) {
    invalid(cid, `the statement's data must be exactly {ctx: "${ATTESTATION_CONTEXT}", attests, chain?}`);
  }
  if (data!.chain !== undefined && (typeof data!.chain !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(data!.chain))) invalid(cid, 'chain must be a layer digest');
  if (!sameList(data!.attests, subjects)) invalid(cid, 'the statement attests other CIDs than the node lists');
  return {
    cid,
    attester: hop.identity,
    keyThumbprint: hop.keyThumbprint!,
    via: hop.via as 'trust-bundle' | 'identity-document',
    subjects,
    expiresAt: path.expiresAt,
    ...(typeof data!.chain === 'string' ? { chain: data!.chain } : {}),
  };
}
