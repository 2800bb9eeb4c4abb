export { NestokenError, ERROR_CODES, isNestokenError, fail, type ErrorCode } from './errors.js';
export { DEFAULT_LIMITS, resolveBounds, type Limits } from './limits.js';
export {
  generateSigningKey,
  signingKeyFromSeed,
  publicKeyFromBytes,
  importPublicJwk,
  importPrivateJwk,
  exportPublicJwk,
  exportPrivateJwk,
  thumbprintOf,
  type PublicKey,
  type SigningKey,
  type PublicJwk,
  type PrivateJwk,
  type GenerateOptions,
} from './keys.js';
export type { KeyAlg } from './crypto/algorithms.js';
export type { Claims, Layer, LayerAlg, LayerFormat, LayerHeader, LayerClaims, StatusClaim, StatusListReference } from './encoding/layer.js';
export { checkStatusClaim } from './encoding/layer.js';
export { b64u, fromB64u, concat } from './bytes.js';
export { encodeCbor, decodeCbor, decodeCborExactText } from './encoding/cbor.js';
export { sigStructure as coseSigStructure, encodeSign1 as encodeCoseSign1, decodeSign1 as decodeCoseSign1, type CoseSign1 } from './encoding/cose.js';
export type { JsonValue } from './encoding/json.js';
/** For JSON text already parsed: whether an object repeats a member name (I-JSON forbids it). */
export { hasDuplicateKey as hasDuplicateJsonMember } from './encoding/json.js';
/** The claim data model (I-JSON, spec §4.2) bounded by `limits`: for JSON that travels beside a chain (Txn-Token claims). */
export { checkJsonValue } from './encoding/json.js';
export { encodeToken, decodeToken, detectForm, type Token, type TokenForm, type EncodeOptions } from './encoding/token.js';
export { documentDigest, type IdentityDocument } from './encoding/documents.js';
export { holdsDocument } from './trust/held-documents.js';
export {
  issue,
  extend,
  seal,
  layerDigest,
  type IssueOptions,
  type IdIssueOptions,
  type AggregateIssueOptions,
  type ExtendOptions,
  type IssueMode,
  type TokenInput,
} from './chain/issue.js';
export type { AggregateVerifier } from './modes/aggregate.js';
export { verify, type VerifyOptions, type ProvenPath, type ProvenHop, type ChainMode } from './chain/verify.js';
export { REVOCATION_CODES, type RevocationCheck, type RevocationQuery } from './chain/policy.js';
export { banList, allRevocationChecks, type Bans } from './chain/bans.js';
export { checkPathPolicy, parsePathPolicy, PathPolicyError, PATH_POLICY_RULES, type PathPolicy, type PathPolicyRule } from './chain/path-policy.js';
export { provenHopsOf, provenPathOf } from './chain/proven-shape.js';
export { REGISTERED_CLAIMS, type ClaimRow } from './encoding/claim-registry.js';
export {
  createTrustBundle,
  mergeTrustBundles,
  isTrustBundle,
  x509Roots,
  thumbprintUri,
  type TrustBundle,
  type TrustBundleInit,
  type TrustedSigner,
  type TrustedSignerInit,
  type TrustDomainInfo,
} from './trust/bundle.js';
export type { Authority, AuthorityInit } from './trust/authority.js';
export type { DocumentAlg, DocumentProfile } from './trust/document-algorithms.js';
export { loadSpiffeBundle, type SpiffeBundleOptions } from './trust/spiffe-bundle.js';
export { loadBundleMap, type BundleMapInput } from './trust/bundle-map.js';
export { loadSignerJwks, type SignerJwksOptions } from './trust/signers.js';
export { loadWitIssuers, type WitIssuerOptions } from './trust/wit-issuers.js';
export { trustDomainOf } from './trust/scope.js';
export { createTrustSource, type TrustSource, type TrustSourceOptions, type BundleText } from './trust/source.js';
export { verifyIdentityDocument, type ProvenIdentity, type ConfirmationKey, type DocumentCheckTime } from './trust/wit.js';
export { issueIdentityDocument, witIssuerJwks, type IdentityDocumentInit } from './trust/wit-mint.js';
export { authoritySignatureValid } from './crypto/foreign-signature.js';
export { verifyX509Svid, type X509SvidIdentity, type X509SvidOptions } from './trust/x509-svid.js';
export type { CertificateKey } from './trust/x509-certificate.js';
export { useCryptoBackend, type CryptoBackend } from './crypto/backend.js';
export { signWith } from './crypto/signatures.js';
export { sha256 } from './crypto/hash.js';
export { portableBackend } from './crypto/portable.js';
export { webCryptoBackend, webCryptoEd25519Available, webCryptoEs256Available } from './crypto/webcrypto.js';
export { useGroupBackend, nobleGroup, type GroupBackend, type NoblePoint } from './crypto/group.js';
