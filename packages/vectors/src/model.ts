import type { ChainMode, ErrorCode, LayerFormat, Limits, PrivateJwk, PublicJwk } from '@nestoken/core';

/** The JSON shape of the vector files (test-vectors/schema/*.json says the same for other languages). */
export const SPEC_VERSION = 'nestoken/v1';
export const GENERATOR_VERSION = '1.0';

/** What a flag means, and the spec section behind it. */
export interface Note {
  readonly description: string;
  /** What a verifier must do with such an input. */
  readonly effect: string;
  /** The section that defines the behaviour, `§N.M`. */
  readonly specRef: string;
}

/** Verifier options in JSON terms; absent members take the defaults of spec §7. */
export interface VerifierOptionsJson {
  /** Thumbprint (`kid`) of the verifier's own key: the last layer must name it in `cnf.jkt`. */
  readonly audience?: string;
  readonly audienceIdentity?: string;
  /** The explicit opt-out of §7.8: without `audience` or `audienceIdentity` a verifier needs it. */
  readonly allowAnyAudience?: boolean;
  readonly issuers?: readonly string[];
  readonly clockSkew?: number;
  readonly algorithms?: readonly string[];
  readonly modes?: readonly string[];
  readonly requireSealed?: boolean;
  readonly aggregateVerifier?: 'msm' | 'sequential';
  readonly limits?: Partial<Limits>;
  /** The revocation hook as a deny list: a layer is revoked when any of its values is listed. */
  readonly revoked?: {
    readonly jti?: readonly string[];
    readonly digest?: readonly string[];
    readonly identity?: readonly string[];
    readonly keyThumbprint?: readonly string[];
  };
}

/** One hop of the path a valid token test expects. */
export interface ExpectedHop {
  readonly index: number;
  readonly identity: string;
  readonly via: 'trust-bundle' | 'identity-document' | 'x509-svid' | 'anonymous';
  readonly format: LayerFormat;
  /** base64url SHA-256 of the layer's bytes. */
  readonly digest: string;
  readonly keyThumbprint?: string;
  readonly audienceKey?: string;
}

/** The proven path a valid token test expects, in the terms of `verify`. */
export interface ExpectedPath {
  readonly mode: ChainMode;
  readonly issuer: string;
  readonly sealed: boolean;
  readonly expiresAt: number;
  readonly notBefore?: number;
  readonly hops: readonly ExpectedHop[];
}

/** The ways a token reaches a verifier; a test carries one or more, and every one must give the result. */
export interface TokenInputs {
  /** The JWT form (text). */
  readonly jwt?: string;
  /** The CBOR form (bytes, hex). */
  readonly cborHex?: string;
  /** Any other text input (CBOR form as base64url, padded with white space, hostile text). */
  readonly text?: string;
  /** Any other byte input (JWT form as bytes, hostile bytes), hex. */
  readonly binaryHex?: string;
}

export const INPUT_KINDS = ['jwt', 'cborHex', 'text', 'binaryHex'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** One token test: the token in one or more forms, the verifier options, and the expected path or error code. */
export interface TokenTest extends TokenInputs {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly now: number;
  readonly options?: VerifierOptionsJson;
  readonly result: 'valid' | 'invalid';
  readonly errorCode?: ErrorCode;
  /** Index of the layer the failure is reported at (root = 0), when the failure concerns one layer. */
  readonly errorLayer?: number;
  readonly path?: ExpectedPath;
  /** Aggregate chains: the 32-byte values drawn from the seeded nonce stream while building, in order. */
  readonly randomness?: readonly string[];
  /** Valid aggregate chains: c_i, e_i and S_i per layer, as the sequential verification computes them. */
  readonly intermediates?: ReadonlyArray<{ readonly challenge?: string; readonly keyChallenge?: string; readonly S: string }>;
  /**
   * A Txn-Token presented beside the chain (spec §12): the verifier checks it against the group's
   * `txnTokenKeys` and `txnTrustDomain`, then the chain, then the binding (§12.3), in that order.
   */
  readonly txnToken?: string;
}

/** A P-256 identity-document authority (spec §5.1), the one key of the vectors that is not Ed25519. */
export interface EcJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid?: string;
}

/** The keys of a group by name, as JWKs. */
export type GroupKeys = Readonly<Record<string, PublicJwk | EcJwk>>;

/** A group of token tests sharing keys and a trust bundle. */
export interface TokenGroup {
  readonly type: 'TokenVerify';
  readonly comment: string;
  /** Public keys by role: Ed25519 JWKs with their RFC 7638 thumbprint as `kid`, and P-256 authorities. */
  readonly keys: GroupKeys;
  /** Private keys of the roles that may extend the valid tokens of this group. */
  readonly privateKeys?: Readonly<Record<string, PrivateJwk>>;
  /** The verifier's trust: signer JWKS, SPIFFE bundles and WIT issuer sets, each read as spec §5.1 says (see TrustInput). */
  readonly trust: unknown;
  /** The Txn-Token Service's public keys (JWKS) and the verifier's trust domain, for tests with a `txnToken`. */
  readonly txnTokenKeys?: { readonly keys: readonly unknown[] };
  readonly txnTrustDomain?: string;
  readonly tests: readonly TokenTest[];
}

/** A vector file: its schema, seed, notes on the flags, and its test groups. */
export interface VectorFile<G> {
  readonly schema: string;
  readonly specVersion: string;
  readonly topic: string;
  readonly algorithm: string;
  readonly generatorVersion: string;
  readonly seed: string;
  readonly numberOfTests: number;
  readonly header: readonly string[];
  readonly notes: Readonly<Record<string, Note>>;
  readonly testGroups: readonly G[];
}

/** A token vector file (id.json, anonymous.json, ...). */
export type TokenVectorFile = VectorFile<TokenGroup>;
