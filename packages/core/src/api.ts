import { isNestokenError as isNestokenError_ } from './errors.js';
import { fail as fail_ } from './errors.js';
import { resolveBounds as resolveBounds_ } from './limits.js';
import { checkOptions as checkOptions_ } from './options.js';
import { describedCheck as describedCheck_ } from './options.js';
import { closestName as closestName_ } from './options.js';
import { callHook as callHook_ } from './chain/hooks.js';
import { generateSigningKey as generateSigningKey_ } from './keys.js';
import { signingKeyFromSeed as signingKeyFromSeed_ } from './keys.js';
import { publicKeyFromBytes as publicKeyFromBytes_ } from './keys.js';
import { importPublicJwk as importPublicJwk_ } from './keys.js';
import { importPrivateJwk as importPrivateJwk_ } from './keys.js';
import { exportPublicJwk as exportPublicJwk_ } from './keys.js';
import { exportPrivateJwk as exportPrivateJwk_ } from './keys.js';
import { thumbprintOf as thumbprintOf_ } from './keys.js';
import { checkStatusClaim as checkStatusClaim_ } from './encoding/layer.js';
import { b64u as b64u_ } from './bytes.js';
import { fromB64u as fromB64u_ } from './bytes.js';
import { concat as concat_ } from './bytes.js';
import { encodeCbor as encodeCbor_ } from './encoding/cbor.js';
import { decodeCbor as decodeCbor_ } from './encoding/cbor.js';
import { decodeCborExactText as decodeCborExactText_ } from './encoding/cbor.js';
import { sigStructure as coseSigStructure_ } from './encoding/cose.js';
import { encodeSign1 as encodeCoseSign1_ } from './encoding/cose.js';
import { decodeSign1 as decodeCoseSign1_ } from './encoding/cose.js';
import { hasDuplicateKey as hasDuplicateJsonMember_, parseJsonObject as parseJsonObject_ } from './encoding/json.js';
import { checkJsonValue as checkJsonValue_ } from './encoding/json.js';
import { encodeToken as encodeToken_ } from './encoding/token.js';
import { decodeToken as decodeToken_ } from './encoding/token.js';
import { detectForm as detectForm_ } from './encoding/token.js';
import { issue as issue_ } from './chain/issue.js';
import { extend as extend_ } from './chain/issue.js';
import { seal as seal_ } from './chain/issue.js';
import { layerDigest as layerDigest_ } from './chain/issue.js';
import { verify as verify_ } from './chain/verify.js';
import { banList as banList_ } from './chain/bans.js';
import { allRevocationChecks as allRevocationChecks_ } from './chain/bans.js';
import { checkPathPolicy as checkPathPolicy_ } from './chain/path-policy.js';
import { parsePathPolicy as parsePathPolicy_ } from './chain/path-policy.js';
import { provenHopsOf as provenHopsOf_ } from './chain/proven-shape.js';
import { provenPathOf as provenPathOf_ } from './chain/proven-shape.js';
import { createTrustBundle as createTrustBundle_ } from './trust/bundle.js';
import { mergeTrustBundles as mergeTrustBundles_ } from './trust/bundle.js';
import { isTrustBundle as isTrustBundle_ } from './trust/bundle.js';
import { x509Roots as x509Roots_ } from './trust/bundle.js';
import { thumbprintUri as thumbprintUri_ } from './trust/bundle.js';
import { loadSpiffeBundle as loadSpiffeBundle_ } from './trust/spiffe-bundle.js';
import { loadBundleMap as loadBundleMap_ } from './trust/bundle-map.js';
import { loadSignerJwks as loadSignerJwks_ } from './trust/signers.js';
import { loadWitIssuers as loadWitIssuers_ } from './trust/wit-issuers.js';
import { trustDomainOf as trustDomainOf_ } from './trust/scope.js';
import { createTrustSource as createTrustSource_ } from './trust/source.js';
import { verifyIdentityDocument as verifyIdentityDocument_ } from './trust/wit.js';
import { issueIdentityDocument as issueIdentityDocument_ } from './trust/wit-mint.js';
import { witIssuerJwks as witIssuerJwks_ } from './trust/wit-mint.js';
import { authoritySignatureValid as authoritySignatureValid_ } from './crypto/foreign-signature.js';
import { verifyX509Svid as verifyX509Svid_ } from './trust/x509-svid.js';
import { useCryptoBackend as useCryptoBackend_ } from './crypto/backend.js';
import { signWith as signWith_ } from './crypto/signatures.js';
import { sha256 as sha256_ } from './crypto/hash.js';
import { webCryptoBackend as webCryptoBackend_ } from './crypto/webcrypto.js';
import { webCryptoEd25519Available as webCryptoEd25519Available_ } from './crypto/webcrypto.js';
import { webCryptoEs256Available as webCryptoEs256Available_ } from './crypto/webcrypto.js';
import { useGroupBackend as useGroupBackend_ } from './crypto/group.js';
import { usageBoundary } from './boundary.js';
import { documentDigest as documentDigest_ } from './encoding/documents.js';
import { holdsDocument as holdsDocument_ } from './trust/held-documents.js';
export { usageBoundary } from './boundary.js';

export { NestokenError, ERROR_CODES, type ErrorCode } from './errors.js';
export { BoundedCache } from './trust/bounded-cache.js';
export { DEFAULT_LIMITS, MAX_EPOCH_SECONDS, type Limits } from './limits.js';
export { checks, type OptionCheck, type OptionTable } from './options.js';
export { DEFAULT_HOOK_TIMEOUT_MS } from './chain/hooks.js';
export { type PublicKey, type SigningKey, type PublicJwk, type PrivateJwk, type GenerateOptions } from './keys.js';
export type { KeyAlg } from './crypto/algorithms.js';
export type { Claims, Layer, LayerAlg, LayerFormat, LayerHeader, LayerClaims, StatusClaim, StatusListReference } from './encoding/layer.js';

export { type CoseSign1 } from './encoding/cose.js';
export type { JsonValue } from './encoding/json.js';

export { type Token, type TokenForm, type EncodeOptions } from './encoding/token.js';
export { type IdentityDocument } from './encoding/documents.js';
export { type IssueOptions, type IdIssueOptions, type AggregateIssueOptions, type ExtendOptions, type IssueMode, type TokenInput } from './chain/issue.js';
export type { AggregateVerifier } from './modes/aggregate.js';
export { type VerifyOptions, type ProvenPath, type ProvenHop, type ChainMode } from './chain/verify.js';
export { REVOCATION_CODES, type RevocationCheck, type RevocationQuery } from './chain/policy.js';
export { type Bans } from './chain/bans.js';
export { PathPolicyError, PATH_POLICY_RULES, type PathPolicy, type PathPolicyRule } from './chain/path-policy.js';

export { REGISTERED_CLAIMS, type ClaimRow } from './encoding/claim-registry.js';
export { type TrustBundle, type TrustBundleInit, type TrustedSigner, type TrustedSignerInit, type TrustDomainInfo } from './trust/bundle.js';
export type { Authority, AuthorityInit } from './trust/authority.js';
export type { DocumentAlg, DocumentProfile } from './trust/document-algorithms.js';
export { type SpiffeBundleOptions } from './trust/spiffe-bundle.js';
export { type BundleMapInput } from './trust/bundle-map.js';
export { type SignerJwksOptions } from './trust/signers.js';
export { type WitIssuerOptions } from './trust/wit-issuers.js';

export { type TrustSource, type TrustSourceOptions, type BundleText } from './trust/source.js';
export { type ProvenIdentity, type ConfirmationKey, type DocumentCheckTime } from './trust/wit.js';
export { type IdentityDocumentInit } from './trust/wit-mint.js';

export { type X509SvidIdentity, type X509SvidOptions } from './trust/x509-svid.js';
export type { CertificateKey } from './trust/x509-certificate.js';
export { type CryptoBackend } from './crypto/backend.js';

export { portableBackend } from './crypto/portable.js';

export { nobleGroup, type GroupBackend, type NoblePoint } from './crypto/group.js';

// Functions: each behind the usage boundary (boundary.ts); documented where it is defined.
/** Whether `e` is a NestokenError (of the given code, when one is given). */
export const isNestokenError = usageBoundary('isNestokenError', isNestokenError_);
/** Throws a NestokenError with this code (and layer): the one way core and its packages fail. */
export const fail = usageBoundary('fail', fail_);
/**
 * Caller-supplied bounds over defaults, each a positive whole number: the one rule for every
 * table of limits in the project (core, crates, HTTP headers).
 */
export const resolveBounds = usageBoundary('resolveBounds', resolveBounds_);
/**
 * The boundary of every public function taking options (spec §2.7): a plain object, no key the
 * table does not know (a misspelt `audiance` must not silently fall back to a default; the error
 * suggests the near miss), each present value passing its check, the required ones present.
 * `undefined` counts as absent. Values are read exactly once, so a getter cannot answer one thing
 * to the check and another to the work; a getter or proxy that throws is a usage error too.
 * Returns that one reading, with `defaults` filled in where a value is absent: the one place an
 * entry point's defaults are applied.
 */
export const checkOptions = usageBoundary('checkOptions', checkOptions_);
/** A check that names what it expects (`"a boolean"`, `"one of id, anon, hybrid"`) in the error it causes. */
export const describedCheck = usageBoundary('describedCheck', describedCheck_);
/**
 * The name a misspelt one most likely meant (`audiance` → `audience`): the closest by edit
 * distance, within two edits or a third of the word's length, or one the word is a prefix of.
 * The one suggestion rule of option tables and the command line.
 */
export const closestName = usageBoundary('closestName', closestName_);
/**
 * Runs a caller's hook and fails closed: a hook that throws, rejects or does not settle within
 * `ms` is `ERR_HOOK_FAILED` (the hook's error kept as the cause) instead of an acceptance or a
 * hang. A NestokenError the hook throws on purpose keeps its code.
 */
export const callHook = usageBoundary('callHook', callHook_);
/** A fresh key from the platform's CSPRNG, or a reproducible one from a seed. */
export const generateSigningKey = usageBoundary('generateSigningKey', generateSigningKey_);
/** A signing key from its 32-byte private key (deterministic: the same bytes give the same key). */
export const signingKeyFromSeed = usageBoundary('signingKeyFromSeed', signingKeyFromSeed_);
/** A public key from its bytes, checked for its algorithm (spec §3.5): Ed25519 canonical and not of small order; P-256 on the curve. */
export const publicKeyFromBytes = usageBoundary('publicKeyFromBytes', publicKeyFromBytes_);
/** Reads a public (or private: only its public part is kept) JWK, as an object or JSON text. */
export const importPublicJwk = usageBoundary('importPublicJwk', importPublicJwk_);
/** Reads a private JWK, as an object or JSON text; the public members must match `d`. */
export const importPrivateJwk = usageBoundary('importPrivateJwk', importPrivateJwk_);
/** The public JWK of a key, with `kid` and any extra members (such as `sub`, the identity). */
export const exportPublicJwk = usageBoundary('exportPublicJwk', exportPublicJwk_);
/** The private JWK of a key, with `kid` and any extra members. Keep it secret. */
export const exportPrivateJwk = usageBoundary('exportPrivateJwk', exportPrivateJwk_);
/** `kid` / `cnf.jkt` form of a key, thumbprint bytes, or an already encoded thumbprint. */
export const thumbprintOf = usageBoundary('thumbprintOf', thumbprintOf_);
/**
 * `status` is an object naming at least one mechanism; its `status_list` member, when present,
 * holds a non-negative integer `idx` and a URI `uri` (spec §13.2). Other members of either
 * object are carried untouched, as the status list draft allows.
 */
export const checkStatusClaim = usageBoundary('checkStatusClaim', checkStatusClaim_);
/** Unpadded base64url text of the bytes. */
export const b64u = usageBoundary('b64u', b64u_);
/** Strict: no padding, no foreign letters, no stray bits, exact length when asked (spec §4.4). */
export const fromB64u = usageBoundary('fromB64u', fromB64u_);
/** The bytes of all parts, one after the other. */
export const concat = usageBoundary('concat', concat_);
/** RFC 8949 §4.2.1 core deterministic encoding: shortest forms, map keys in bytewise order. */
export const encodeCbor = usageBoundary('encodeCbor', encodeCbor_);
/**
 * Strict, deterministic-only decoding (spec §4.4): anything but the one canonical encoding is
 * refused. `foreign` relaxes only what other issuers' CWTs may legitimately do (map keys in
 * any order, longer floats); shortest integer heads, definite lengths, unique keys, valid
 * UTF-8 and the depth bound still hold.
 */
export const decodeCbor = usageBoundary('decodeCbor', decodeCbor_);
/**
 * cborg's `decode` with the caller's options (a DAG-CBOR decoder's, say), except that text is
 * read exactly: a text string that starts with U+FEFF keeps it. Errors are cborg's, untyped:
 * the caller maps them to its codes.
 */
export const decodeCborExactText = usageBoundary('decodeCborExactText', decodeCborExactText_);
/** The bytes of ["Signature1", protected, h'', payload] (RFC 9052 §4.4), assembled without re-encoding either part. */
export const coseSigStructure = usageBoundary('coseSigStructure', coseSigStructure_);
/** A tagged COSE_Sign1 (tag 18) in deterministic CBOR. */
export const encodeCoseSign1 = usageBoundary('encodeCoseSign1', encodeCoseSign1_);
/**
 * Reads a tagged COSE_Sign1: exactly four items of the right types. `foreign` accepts other
 * issuers' CBOR that is valid but not deterministic (see `decodeCbor`).
 */
export const decodeCoseSign1 = usageBoundary('decodeCoseSign1', decodeCoseSign1_);
/** For JSON text already parsed: whether an object repeats a member name (I-JSON forbids it). */
export const hasDuplicateJsonMember = usageBoundary('hasDuplicateJsonMember', hasDuplicateJsonMember_);
/**
 * JSON that another system wrote (a WPT's or Txn-Token's parts, identity documents): one JSON
 * object (`ERR_JSON`), no member name twice (`ERR_DUPLICATE_KEY`), then the claim data model
 * bounded by `limits` (spec §4.4), in that order. White space and member order are free.
 */
export const parseJsonObject = usageBoundary('parseJsonObject', parseJsonObject_);
/** The claim data model (I-JSON, spec §4.2) bounded by `limits`: for JSON that travels beside a chain (Txn-Token claims). */
export const checkJsonValue = usageBoundary('checkJsonValue', checkJsonValue_);
/** The token in either form (spec §4.1): each identity document once, unless `omitDocuments` names it (spec §4.6.3). */
export const encodeToken = usageBoundary('encodeToken', encodeToken_);
/** base64url SHA-256 of an identity document's bytes: what a layer's `doc` names (spec §4.6.2). */
export const documentDigest = usageBoundary('documentDigest', documentDigest_);
/** Whether the verifier of this bundle holds a verified document of this digest: what a receiver can tell a sender (spec §4.6.3). */
export const holdsDocument = usageBoundary('holdsDocument', holdsDocument_);
/** Reads a token in either form within `limits`; checks its structure, not its signatures (use `verify`). */
export const decodeToken = usageBoundary('decodeToken', decodeToken_);
/** Which form an input is in: raw CBOR, CBOR as base64url text, or the JWT form. */
export const detectForm = usageBoundary('detectForm', detectForm_);
/** Signs the root layer of a chain. The root bounds the lifetime of everything built on it, so it must carry exp. */
export const issue = usageBoundary('issue', issue_);
/**
 * Wraps a received token in one more layer. In ID mode the signer must be the audience the
 * last layer named: anyone else could not produce a chain that verifies, so we refuse early.
 * In the aggregate modes the token's scalar is the secret; a key makes the hop identified.
 */
export const extend = usageBoundary('extend', extend_);
/** Closes an aggregate chain as it is: the scalar is replaced by a proof of knowledge of it. */
export const seal = usageBoundary('seal', seal_);
/** The digest naming a layer: base64url SHA-256 of its exact bytes. */
export const layerDigest = usageBoundary('layerDigest', layerDigest_);
/** Decode, bound, replay, check, apply policy: spec §7, step by step, in the order that fixes which code a token gets. */
export const verify = usageBoundary('verify', verify_);
/**
 * A revocation hook over fixed ban lists that names the cause of each refusal (spec §13.5).
 * The root issuer is checked first, so a banned issuer is reported as such even when its own
 * identity is also banned.
 */
export const banList = usageBoundary('banList', banList_);
/** Several revocation sources as one hook: asked in order, the first ban (or failure) decides. */
export const allRevocationChecks = usageBoundary('allRevocationChecks', allRevocationChecks_);
/** Applies `policy` to a proven path; throws a PathPolicyError naming the first rule broken. */
export const checkPathPolicy = usageBoundary('checkPathPolicy', checkPathPolicy_);
/** Checks a policy given as JSON (or built in code): unknown rules and ill-typed values are ERR_USAGE. */
export const parsePathPolicy = usageBoundary('parsePathPolicy', parsePathPolicy_);
/**
 * The hops of a proven path handed back to us (a policy, a binding, an export): functions that
 * take a `ProvenPath` check its shape at the boundary, so a hand-made or hostile object is
 * ERR_USAGE, never a TypeError, and its length is bounded like any verified chain's.
 */
export const provenHopsOf = usageBoundary('provenHopsOf', provenHopsOf_);
/** The same, for the path itself (its `issuer` too). */
export const provenPathOf = usageBoundary('provenPathOf', provenPathOf_);
/**
 * Builds a trust bundle from parts; every part is checked where it enters (spec §3.5, §5.1).
 * A key, a `kid` or a trust domain given twice with the same meaning is kept once; with two
 * meanings (another identity, role, profile or scope) it is `ERR_TRUST_BUNDLE`: nothing is
 * silently replaced. A key is never both a layer signer and an authority.
 */
export const createTrustBundle = usageBoundary('createTrustBundle', createTrustBundle_);
/** Federation: the union of bundles, under the same rules as one (a conflict fails, nothing is replaced). */
export const mergeTrustBundles = usageBoundary('mergeTrustBundles', mergeTrustBundles_);
/** Whether `x` is a bundle made by `createTrustBundle` (or a loader or merge built on it), not merely an object of the same shape. */
export const isTrustBundle = usageBoundary('isTrustBundle', isTrustBundle_);
/** The X.509-SVID roots of one trust domain (DER), or none: a domain whose bundle lists none trusts no X.509-SVID. */
export const x509Roots = usageBoundary('x509Roots', x509Roots_);
/** RFC 9278: the identity of a key that has no other name. */
export const thumbprintUri = usageBoundary('thumbprintUri', thumbprintUri_);
/**
 * Reads the SPIFFE bundle of one trust domain (spec §5.1). A key's `use` decides its role:
 * `wit-svid` keys verify WIT-SVIDs, `jwt-svid` keys verify JWT-SVIDs only (kept, never used to
 * vouch for a hop), `x509-svid` keys are the domain's X.509 roots. Keys with a missing or
 * unknown `use`, and key types nestoken cannot use, are ignored, as the SPIFFE bundle format
 * requires. An empty `keys` array is a valid bundle that trusts nothing in the domain.
 */
export const loadSpiffeBundle = usageBoundary('loadSpiffeBundle', loadSpiffeBundle_);
/**
 * SPIFFE federation: a map from trust domain to that domain's bundle (spec §5.1). Each bundle
 * is read for its own domain only, and the results merge under the rules of one bundle.
 */
export const loadBundleMap = usageBoundary('loadBundleMap', loadBundleMap_);
/**
 * Reads a JWK Set of direct layer signers for one trust domain (spec §5.1). Each usable key
 * (`use` absent or `sig`) is a signer whose identity is its `sub`, which must lie in the trust
 * domain. A key marked with a SPIFFE role fails the file: an identity issuer's key cannot sign
 * layers, whichever file it is put in. Keys of other types or other uses are skipped.
 */
export const loadSignerJwks = usageBoundary('loadSignerJwks', loadSignerJwks_);
/**
 * Reads a plain JWK Set of WIT issuers, as the WIMSE draft publishes them (spec §5.1): the
 * caller says that is what it is. Keys with `use` absent, `sig` or `wit-svid` sign WITs under
 * the WIMSE rules; keys marked for another SPIFFE role (`jwt-svid`, `x509-svid`) or another use
 * keep that role and are skipped, as are key types nestoken cannot verify.
 */
export const loadWitIssuers = usageBoundary('loadWitIssuers', loadWitIssuers_);
/** The trust domain of a `spiffe://`, `wimse://` or `https://` identity, or `undefined` when it is not a well-formed identity. */
export const trustDomainOf = usageBoundary('trustDomainOf', trustDomainOf_);
/**
 * A SPIFFE bundle that stays current (spec §5.5): re-read on its `spiffe_refresh_hint`, never
 * replaced by one with a lower `spiffe_sequence`, and keys or roots it drops kept for
 * `overlapSeconds`, so documents signed just before a rotation still verify.
 */
export const createTrustSource = usageBoundary('createTrustSource', createTrustSource_);
/**
 * Verifies a Workload Identity Token (draft-ietf-wimse-workload-creds; SPIFFE WIT-SVID) that
 * binds a workload's key in `cnf.jwk`, against the WIT issuers of the trust domain of its
 * `sub` (spec §5.3). `iss` is never used to find keys.
 */
export const verifyIdentityDocument = usageBoundary('verifyIdentityDocument', verifyIdentityDocument_);
/**
 * Mints a Workload Identity Token as draft-ietf-wimse-workload-creds defines it (spec §5.3):
 * header `{alg, kid, typ: "wit+jwt"}` with the fully specified `alg`, and `cnf.jwk` carrying
 * the workload key's `alg`. Signed through jose, as any foreign verifier would check it.
 */
export const issueIdentityDocument = usageBoundary('issueIdentityDocument', issueIdentityDocument_);
/** The public JWK Set verifiers load with `loadWitIssuers` (or as the `wit-svid` keys of a SPIFFE bundle). */
export const witIssuerJwks = usageBoundary('witIssuerJwks', witIssuerJwks_);
/**
 * A signature another system made with a nestoken key type (a Status List Token, a COSE
 * object): Ed25519 with a canonical S; ES256 as fixed-width r ‖ s with either S, since RFC
 * 7518 and RFC 9053 do not require low S. nestoken's own layers use `signatureValid`.
 */
export const authoritySignatureValid = usageBoundary('authoritySignatureValid', authoritySignatureValid_);
/**
 * Verifies an X.509-SVID (leaf first, DER) against a trust bundle's X.509 roots, outside any
 * token: the same checks a layer's `x5c` gets (spec §5.6), the same bounds first.
 */
export const verifyX509Svid = usageBoundary('verifyX509Svid', verifyX509Svid_);
/** Makes `backend` the one every operation uses from now on (tests, benchmarks, a faster platform). */
export const useCryptoBackend = usageBoundary('useCryptoBackend', useCryptoBackend_);
/**
 * Signing and verification by a key's own algorithm (spec §5.2), through the active backend.
 * The one place that pairs a key with its row of the algorithm table: ID-mode layers use it,
 * and so can anything else that checks a nestoken key's signature.
 */
export const signWith = usageBoundary('signWith', signWith_);
/** SHA-256 through the active crypto backend. */
export const sha256 = usageBoundary('sha256', sha256_);
/**
 * A backend that verifies and signs Ed25519 with the given Web Crypto (default: the global
 * `crypto.subtle`) once it has passed the probe, and with the portable backend otherwise.
 * The browser entry of `@nestoken/core` makes this its default.
 */
export const webCryptoBackend = usageBoundary('webCryptoBackend', webCryptoBackend_);
/** Whether a backend from {@link webCryptoBackend} uses Web Crypto here (runs the probe once per call). */
export const webCryptoEd25519Available = usageBoundary('webCryptoEd25519Available', webCryptoEd25519Available_);
/** Whether a backend from {@link webCryptoBackend} verifies ES256 with Web Crypto here (runs the probe once per call). */
export const webCryptoEs256Available = usageBoundary('webCryptoEs256Available', webCryptoEs256Available_);
/** Makes `backend` the group every aggregate operation uses (for example libsodium, `@nestoken/core/sodium`). */
export const useGroupBackend = usageBoundary('useGroupBackend', useGroupBackend_);
