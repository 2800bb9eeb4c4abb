import type { Note } from './model.js';

const VALID = 'valid: the verifier returns the proven path given in the test';
const reject = (code: string, extra = ''): string => `invalid: reject with ${code}${extra}`;

/**
 * Every flag a vector may carry: what the case does, what a verifier must do, and where the
 * spec says so. A file's `notes` list exactly the flags its tests use; spec appendix A lists
 * all of them.
 */
export const FLAGS: Readonly<Record<string, Note>> = {
  // Valid chains.
  ValidChain: { description: 'A chain built by the reference implementation and left as it is.', effect: VALID, specRef: '§7.9' },
  MixedFormats: { description: 'The layers of one chain use both layer formats.', effect: VALID, specRef: '§4.1' },
  LongChain: { description: 'A chain of eight or more layers.', effect: VALID, specRef: '§3.1' },
  StatusReference: { description: 'Layers name their entry in a status list (status.status_list {idx, uri}; CWT claim 65535 in the CBOR form).', effect: VALID, specRef: '§13.2' },
  ContainerConversion: { description: 'The same layers in the JWT form and in the CBOR form: converting the container re-packs, it does not re-encode.', effect: `${VALID}, the same in both forms`, specRef: '§4.1.5' },
  FormDetection: { description: 'The token is presented another way: the CBOR form as base64url text, surrounded by white space, or the JWT form as bytes.', effect: 'the form is detected as spec §4.1.3 says; the result is that of the token itself', specRef: '§4.1.3' },
  Sealed: { description: 'An aggregate chain whose scalar was replaced by a seal.', effect: `${VALID}, with sealed = true`, specRef: '§6.5' },
  SequentialVerifier: { description: 'The aggregate equation checked hop by hop instead of by one multi-scalar multiplication.', effect: 'the same result as the default verifier', specRef: '§6.4' },
  IdentityDocument: { description: 'A hop key is vouched for by a WIT signed by a WIT issuer of the trust domain its sub names.', effect: 'the hop identity is the document subject, via identity-document', specRef: '§5.3' },
  SpiffeBundle: { description: 'The trust includes a SPIFFE bundle whose use members decide each key role: wit-svid, jwt-svid and x509-svid keys, keys without use and unusable keys, which a verifier ignores.', effect: 'ignored keys are not fatal', specRef: '§5.1' },
  Es256Authority: { description: 'A WIT signed with ES256 by a P-256 issuer.', effect: VALID, specRef: '§5.3' },
  VerifierPolicy: { description: 'The verifier sets policy options (audience key or identity, accepted issuers, revocation, algorithms).', effect: 'the options are applied as spec §7 says', specRef: '§7' },
  TimeBoundary: { description: 'The verification time sits on, or one second beside, a lifetime boundary, with the clock skew given.', effect: 'the comparison of spec §7.6 decides', specRef: '§7.6' },
  OpenClaims: { description: 'A layer carries application claims at top level (JWT names, CBOR text keys) and registered claims under their CWT keys.', effect: VALID, specRef: '§3.3' },
  TxnTokenBound: { description: 'The chain root carries txn and tth of the Txn-Token presented beside it.', effect: `${VALID}; the Txn-Token's claims are returned beside it`, specRef: '§12.3' },
  AtLimit: { description: 'An input exactly at a verifier limit (set low in the test options).', effect: 'accepted: limits are inclusive', specRef: '§7.1' },

  // Txn-Tokens.
  TxnTokenSwapped: { description: 'Another Txn-Token than the bound one is presented: of another transaction, or of the same transaction issued again.', effect: reject('ERR_TXN_TOKEN_MISMATCH', ' at layer 0'), specRef: '§12.3' },
  TxnTokenBytesAltered: { description: 'The presented Txn-Token differs from the bound one only in its bytes (member order, white space): tth covers the exact text.', effect: reject('ERR_TXN_TOKEN_MISMATCH (another tth) or ERR_TXN_TOKEN_INVALID (not a compact JWS)'), specRef: '§12.3' },
  TxnTokenUnbound: { description: 'The root carries no binding (none at all, or only a later layer does).', effect: reject('ERR_TXN_TOKEN_MISMATCH', ' at layer 0'), specRef: '§12.3' },
  TxnTokenRebound: { description: 'A layer not signed by the root identity carries tth.', effect: reject('ERR_TXN_TOKEN_MISMATCH', ' at that layer'), specRef: '§12.3' },
  TxnMismatch: { description: "A layer names another txn than the Txn-Token's.", effect: reject('ERR_TXN_MISMATCH', ' at the first such layer'), specRef: '§12.3' },
  TxnTokenAudience: { description: "The Txn-Token's aud names another trust domain.", effect: reject('ERR_TXN_TOKEN_AUDIENCE'), specRef: '§12.2' },
  TxnTokenForged: { description: 'The Txn-Token itself is refused: alg none, another typ, no kid, an unknown crit, a repeated member, expired, issued in the future, a signature over other bytes.', effect: reject('ERR_TXN_TOKEN_INVALID or ERR_DUPLICATE_KEY'), specRef: '§12.2' },

  // Chain structure.
  TailTruncation: { description: 'Trailing layers removed: what is left is a valid chain addressed to someone else.', effect: reject('ERR_AUDIENCE_MISMATCH (ID mode, verifier names its key) or ERR_SIGNATURE_INVALID (aggregate: the scalar belongs to the removed layer)'), specRef: '§9.3' },
  RootRemoved: { description: 'Leading layers removed, or a first layer without alg or kid, so the chain no longer starts at a root.', effect: reject('ERR_CHAIN_TRUNCATED', ' at layer 0'), specRef: '§7.3' },
  LayerRemoved: { description: 'A layer removed from inside the chain.', effect: reject('one of ERR_CHAIN_LINK, ERR_SIGNATURE_INVALID, ERR_ISSUER_MISMATCH, ERR_ALG_KEY_MISMATCH, ERR_IDENTITY_DOCUMENT', ': the layer after the gap implies alg, kid and prv from another layer'), specRef: '§7.3' },
  EmptyToken: { description: 'A token without layers.', effect: reject('ERR_CHAIN_TRUNCATED'), specRef: '§4.1.4' },
  Reorder: { description: 'Layers of a valid chain in another order.', effect: reject('ERR_CHAIN_TRUNCATED, or one of ERR_CHAIN_LINK, ERR_SIGNATURE_INVALID, ERR_ISSUER_MISMATCH, ERR_ALG_KEY_MISMATCH, ERR_IDENTITY_DOCUMENT', ' at or after the first layer out of place'), specRef: '§7.3' },
  DuplicateLayer: { description: 'A layer of a valid chain repeated.', effect: reject('one of ERR_CHAIN_LINK, ERR_SIGNATURE_INVALID, ERR_ISSUER_MISMATCH, ERR_ALG_KEY_MISMATCH, ERR_IDENTITY_DOCUMENT', ' at or after the repeated copy'), specRef: '§7.3' },
  Splice: { description: 'The start of one valid chain joined to the end of another by the same signers.', effect: reject('one of ERR_CHAIN_LINK, ERR_SIGNATURE_INVALID, ERR_ISSUER_MISMATCH, ERR_ALG_KEY_MISMATCH, ERR_IDENTITY_DOCUMENT', ' at or after the first spliced layer'), specRef: '§7.3' },
  ModeMixed: { description: 'ID-mode and aggregate layers in one chain.', effect: reject('ERR_MODE_MIXED', ' at the first layer of the other family'), specRef: '§7.3' },

  // Byte damage.
  ByteTruncation: { description: 'The encoded token cut short at a byte (or character) position.', effect: 'invalid: the first check of spec §4.1.4 / §7 that fails decides the code', specRef: '§4.1.4' },
  FlippedHeader: { description: 'One byte or base64url character of a layer header changed.', effect: 'invalid: a decoding code, or ERR_SIGNATURE_INVALID or another check of that layer when it still decodes', specRef: '§7.2' },
  FlippedPayload: { description: 'One byte or base64url character of a layer payload changed.', effect: 'invalid: a decoding code, or ERR_SIGNATURE_INVALID or another check of that layer when it still decodes', specRef: '§7.2' },
  FlippedSignature: { description: 'One byte or base64url character of a signature (or commitment) changed.', effect: 'invalid: ERR_BASE64 when the text is no longer canonical, else ERR_SIGNATURE_INVALID, ERR_POINT_INVALID or another check of that layer', specRef: '§7.5' },
  FlippedSeparator: { description: 'A `.` or `~` separator of the JWT form changed.', effect: 'invalid: a structural decoding code', specRef: '§4.1.1' },
  FlippedContainer: { description: 'One byte of the CBOR container framing (tag, array heads, string heads) changed.', effect: 'invalid: a structural decoding code', specRef: '§4.1.2' },
  ModifiedClaims: { description: 'A claim changed after the layer was signed, the signature kept.', effect: reject('ERR_SIGNATURE_INVALID', ' at that layer (ID mode) or for the whole aggregate'), specRef: '§7.5' },
  ModifiedSignature: { description: 'A layer signature replaced by a different well-formed one.', effect: reject('ERR_SIGNATURE_INVALID', ' at that layer (ID mode) or for the whole aggregate'), specRef: '§7.5' },

  // Format changes.
  FormatChangedJwtToCbor: { description: 'A JWT layer silently re-encoded as a CBOR layer (same header, claims, signature), not re-signed.', effect: reject('ERR_FORMAT_CHANGED', ' at the re-encoded layer'), specRef: '§4.5' },
  FormatChangedCborToJwt: { description: 'A CBOR layer silently re-encoded as a JWT layer (same header, claims, signature), not re-signed.', effect: reject('ERR_FORMAT_CHANGED', ' at the re-encoded layer'), specRef: '§4.5' },

  // Algorithms.
  AlgNone: { description: 'A layer with alg "none" (JWT) or no usable alg.', effect: reject('ERR_ALG_NOT_ALLOWED'), specRef: '§3.2' },
  AlgDisallowed: { description: 'A layer with an algorithm that is not a nestoken layer algorithm (HS256, ES384, the deprecated EdDSA, COSE -8 ...).', effect: reject('ERR_ALG_NOT_ALLOWED'), specRef: '§9.8' },
  AlgKeyMismatch: { description: "A layer whose alg is a nestoken algorithm but not the algorithm of the key its kid names (ES256 over an Ed25519 key, Ed25519 or nst-r255 over a P-256 key).", effect: reject('ERR_ALG_KEY_MISMATCH', ' at that layer'), specRef: '§7.4' },
  AlgNotAllowedByVerifier: { description: 'A nestoken algorithm or mode the verifier options exclude.', effect: reject('ERR_ALG_NOT_ALLOWED'), specRef: '§7.3' },

  // Keys and trust.
  WrongKey: { description: 'A layer signed by another key than the one its kid names.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§7.5' },
  SubstitutedKey: { description: 'The kid of a signed root replaced by another trusted key (after the root an ID-mode kid is implied and cannot be replaced).', effect: reject('ERR_ISSUER_MISMATCH or ERR_SIGNATURE_INVALID'), specRef: '§7.4' },
  UntrustedKey: { description: 'A layer signed by a key the bundle does not list and no identity document vouches for.', effect: reject('ERR_KEY_UNTRUSTED'), specRef: '§7.4' },
  BrokenAudienceBinding: { description: 'An ID-mode layer signed by a key other than the one the previous layer handed the token to (cnf.jkt), which is the kid it implies.', effect: reject('ERR_ISSUER_MISMATCH or ERR_SIGNATURE_INVALID'), specRef: '§7.4' },
  MissingAudienceBinding: { description: 'An ID-mode layer without cnf.', effect: reject('ERR_CLAIMS_INVALID'), specRef: '§7.4' },
  IssuerMismatch: { description: 'A layer iss that is not the identity its key proves.', effect: reject('ERR_ISSUER_MISMATCH'), specRef: '§7.4' },
  IssuerNotAccepted: { description: 'The root signer is not among the issuers the verifier accepts.', effect: reject('ERR_KEY_UNTRUSTED', ' at layer 0'), specRef: '§7.4' },
  AudienceMismatch: { description: 'The last layer names another key (cnf.jkt) or lacks the verifier identity (aud).', effect: reject('ERR_AUDIENCE_MISMATCH'), specRef: '§7.8' },
  Revoked: { description: 'The revocation hook (given as a deny list) bans a jti, layer digest, identity or key.', effect: reject('ERR_REVOKED'), specRef: '§7.7' },
  InvalidTrustBundle: { description: 'The trust itself cannot be read (not a JWKS, a broken usable key, a signer without identity, a key in the wrong role, a conflict).', effect: reject('ERR_TRUST_BUNDLE', ' before any token is looked at'), specRef: '§5.1' },
  InvalidBundleKey: { description: 'A bundle key of a usable type that fails its checks: small order, non-canonical, off the curve, wrong length.', effect: reject('ERR_TRUST_BUNDLE'), specRef: '§3.5' },
  DocumentExpired: { description: 'An identity document past its exp (plus skew).', effect: reject('ERR_EXPIRED'), specRef: '§5.3' },
  DocumentNotYetValid: { description: 'An identity document before its nbf (minus skew).', effect: reject('ERR_NOT_YET_VALID'), specRef: '§5.3' },
  DocumentWrongKey: { description: 'An identity document that binds another key than the layer kid, or an unusable one.', effect: reject('ERR_IDENTITY_DOCUMENT'), specRef: '§5.3' },
  DocumentOutsideTrustDomain: { description: 'A WIT whose sub names a trust domain the verifier has no WIT issuer for.', effect: reject('ERR_TRUST_DOMAIN'), specRef: '§5.4' },
  DocumentUntrustedAuthority: { description: 'An identity document signed by no authority in the bundle (or naming another authority kid).', effect: reject('ERR_KEY_UNTRUSTED'), specRef: '§5.3' },
  DocumentMalformed: { description: 'An identity document that is not a WIT of the expected shape (typ wit+jwt, a workload identifier in sub, exp, cnf.jwk with a fitting alg).', effect: reject('ERR_IDENTITY_DOCUMENT'), specRef: '§5.3' },
  DocumentAlg: { description: 'A WIT whose alg or cnf.jwk.alg is none, HMAC or not a signature algorithm of the list.', effect: reject('ERR_ALG_NOT_ALLOWED'), specRef: '§5.3' },
  DocumentAlgMismatch: { description: 'A layer whose algorithm is not the cnf.jwk.alg of the WIT that vouches for its key.', effect: reject('ERR_ALG_NOT_ALLOWED'), specRef: '§5.3' },
  WitSvidProfile: { description: 'A WIT from a SPIFFE bundle that breaks the WIT-SVID profile: no kid, an aud, a sub that is no SPIFFE ID, EdDSA for the document or cnf.jwk.', effect: reject('ERR_ALG_NOT_ALLOWED or ERR_IDENTITY_DOCUMENT'), specRef: '§5.3' },
  KeyRole: { description: 'A key used outside the role its use gives it: a jwt-svid key signing a WIT, a WIT issuer key in a signer JWKS.', effect: reject('ERR_KEY_UNTRUSTED or ERR_TRUST_BUNDLE'), specRef: '§5.1' },
  TrustDomainScope: { description: 'An identity outside the trust domain of the signer or issuer that would vouch for it.', effect: reject('ERR_TRUST_DOMAIN or ERR_KEY_UNTRUSTED'), specRef: '§5.4' },
  BundleConflict: { description: 'Parts of the trust that list one key, or one kid, with two meanings.', effect: reject('ERR_TRUST_BUNDLE'), specRef: '§5.1' },
  DocumentCritical: { description: 'An identity document with a crit header.', effect: reject('ERR_CRIT_UNSUPPORTED'), specRef: '§5.3' },
  X509Svid: { description: 'A hop key is vouched for by an X.509-SVID chain in x5c / x5chain that validates to an x509-svid root of its trust domain.', effect: 'the hop identity is the leaf SPIFFE ID, via x509-svid', specRef: '§5.6' },
  X509Expired: { description: 'A certificate of the chain past its notAfter (plus skew).', effect: reject('ERR_EXPIRED'), specRef: '§5.6' },
  X509NotYetValid: { description: 'A certificate of the chain before its notBefore (minus skew).', effect: reject('ERR_NOT_YET_VALID'), specRef: '§5.6' },
  X509UntrustedRoot: { description: 'A chain that no x509-svid root of the leaf trust domain issued.', effect: reject('ERR_KEY_UNTRUSTED'), specRef: '§5.6' },
  X509OutsideScope: { description: 'A leaf whose SPIFFE ID names no trust domain under the scoping rule: an empty label or a leading dot.', effect: reject('ERR_TRUST_DOMAIN'), specRef: '§5.4' },
  X509OutsideTrustDomain: { description: 'A leaf whose SPIFFE ID lies in another trust domain than the root that issued it.', effect: reject('ERR_KEY_UNTRUSTED'), specRef: '§5.6' },
  X509NotSvid: { description: 'A leaf that breaks the X509-SVID profile: a CA, not exactly one URI SAN, not a SPIFFE ID with a path, key usage without digitalSignature or with keyCertSign / cRLSign.', effect: reject('ERR_X509_SVID'), specRef: '§5.6' },
  X509ChainInvalid: { description: 'A signing certificate that may not sign: not a CA, no keyCertSign, path length exceeded, a workload SPIFFE ID, or a link that does not chain.', effect: reject('ERR_X509_CHAIN'), specRef: '§5.6' },
  X509Malformed: { description: 'Bytes that are not a DER certificate, or a certificate with an unknown critical extension.', effect: reject('ERR_X509_INVALID'), specRef: '§5.6' },
  X509WrongKey: { description: 'The leaf binds another key than the layer kid, a key no layer uses (P-384), a key of another type than the layer alg, or the layer is signed by another key.', effect: reject('ERR_IDENTITY_DOCUMENT, ERR_ALG_NOT_ALLOWED, ERR_ALG_KEY_MISMATCH or ERR_SIGNATURE_INVALID'), specRef: '§5.6' },
  FormatVersion1: { description: 'A token or layer of nestoken format version 1: the container tag 0x7b2d0001, or a layer that sends typ.', effect: reject('ERR_UNSUPPORTED_VERSION'), specRef: '§4.1.3' },
  DocumentMissing: { description: 'A layer names an identity document (doc) that the token does not carry and the verifier does not hold.', effect: reject('ERR_DOCUMENT_MISSING', ', naming the digest, at that layer'), specRef: '§4.6' },
  DocumentSubstituted: { description: 'The documents section holds a document that no layer names: another document in place of the one named.', effect: reject('ERR_DOCUMENT_MISMATCH'), specRef: '§4.6' },
  X509Limit: { description: 'A certificate chain above maxCertificates, maxCertificateBytes or maxCertificateChainBytes (set low in the options).', effect: reject('ERR_LIMIT_EXCEEDED or ERR_INPUT_TOO_LARGE'), specRef: '§7.1' },

  // Lifetimes.
  Expired: { description: 'The chain has expired (now >= exp + skew).', effect: reject('ERR_EXPIRED'), specRef: '§7.6' },
  NotYetValid: { description: 'The chain is not valid yet (now + skew < nbf).', effect: reject('ERR_NOT_YET_VALID'), specRef: '§7.6' },
  IssuedInFuture: { description: 'A layer iat later than now + skew.', effect: reject('ERR_NOT_YET_VALID'), specRef: '§7.6' },
  LifetimeWidened: { description: 'A layer exp later than the lifetime it received.', effect: reject('ERR_LIFETIME_WIDENED'), specRef: '§7.6' },
  MissingExpiry: { description: 'A root layer without exp.', effect: reject('ERR_CLAIMS_INVALID', ' at layer 0'), specRef: '§7.6' },

  // Encodings.
  NonCanonicalJson: { description: 'JSON that is valid but not the canonical serialization (member order, white space, escapes, number forms).', effect: reject('ERR_NONCANONICAL'), specRef: '§4.4.2' },
  DuplicateKeyJson: { description: 'A JSON object that repeats a member name.', effect: reject('ERR_DUPLICATE_KEY'), specRef: '§4.4.2' },
  InvalidJson: { description: 'A JWS header or payload that is not a JSON object, or not UTF-8.', effect: reject('ERR_JSON or ERR_MALFORMED'), specRef: '§4.2' },
  NonCanonicalCbor: { description: 'CBOR that is well formed but not deterministic (long heads, unsorted keys, wide floats).', effect: reject('ERR_NONCANONICAL'), specRef: '§4.4.1' },
  DuplicateKeyCbor: { description: 'A CBOR map that repeats a key.', effect: reject('ERR_DUPLICATE_KEY'), specRef: '§4.4.1' },
  IndefiniteLength: { description: 'A CBOR array, map or string of indefinite length.', effect: reject('ERR_NONCANONICAL'), specRef: '§4.4.1' },
  InvalidCbor: { description: 'Bytes that are not one well-formed CBOR item of the data model (trailing bytes, undefined, unknown tags).', effect: reject('ERR_CBOR or ERR_MALFORMED'), specRef: '§4.3' },
  NonCanonicalBase64: { description: 'base64url with padding, foreign letters, non-zero trailing bits or the wrong decoded length.', effect: reject('ERR_BASE64'), specRef: '§4.4.3' },
  MalformedStructure: { description: 'A token, layer or proof of the wrong shape (part counts, item counts, types).', effect: reject('ERR_MALFORMED'), specRef: '§4.1' },
  HeaderInvalid: { description: 'A header member that is unknown, missing or of the wrong type, a wrong typ, or a non-empty unprotected header.', effect: reject('ERR_HEADER_INVALID'), specRef: '§3.2' },
  CriticalHeader: { description: 'A header with crit (JWT) or label 2 (COSE).', effect: reject('ERR_CRIT_UNSUPPORTED'), specRef: '§3.2' },
  TimeInMilliseconds: {
    description: 'exp, nbf or iat above 10^11: a time written in milliseconds (Date.now()) instead of seconds, which would keep a token valid for millennia.',
    effect: reject('ERR_CLAIMS_INVALID'),
    specRef: '§3.3',
  },
  ByteOrderMarkText: { description: 'Claim text or a member name that starts with U+FEFF, in CBOR and JWT layers: text like any other, which some CBOR decoders drop.', effect: VALID, specRef: '§4.4.1' },
  InvalidUtf8Text: { description: 'A CBOR text string (a claim, a header value, a container entry) whose bytes are not well-formed UTF-8.', effect: reject('ERR_NONCANONICAL'), specRef: '§4.4.1' },
  CheckOrder: { description: 'One input that breaks several rules: the first check in the order the spec gives decides the code, in either layer format.', effect: 'invalid: reject with the code of the first failing check in the order of spec §3.2, §3.3', specRef: '§3.3' },
  IdentityOnAnonymousLink: { description: 'An anonymous link (no kid) that names iss or sub: an identity nobody proved.', effect: reject('ERR_ISSUER_MISMATCH', ' for iss, ERR_CLAIMS_INVALID for sub'), specRef: '§7.4' },
  ClaimsInvalid: { description: 'A claim under a reserved name or an unknown CWT key, a registered claim under its text name in CBOR, of the wrong type, or outside the data model.', effect: reject('ERR_CLAIMS_INVALID'), specRef: '§3.3' },

  // Limits.
  Oversized: { description: 'A token or layer one byte (or character) beyond its size limit.', effect: reject('ERR_INPUT_TOO_LARGE', ' before it is parsed'), specRef: '§7.1' },
  LayerCountBomb: { description: 'More layers than maxLayers.', effect: reject('ERR_LIMIT_EXCEEDED', ' before the layers are decoded'), specRef: '§7.1' },
  DepthBomb: { description: 'Nesting deeper than maxClaimDepth (claims) or than the envelope allows (containers).', effect: reject('ERR_LIMIT_EXCEEDED'), specRef: '§7.1' },
  CountBomb: { description: 'More claim members and items than maxClaimItems.', effect: reject('ERR_LIMIT_EXCEEDED'), specRef: '§7.1' },
  LongString: { description: 'A claim string, member name or wit longer than maxStringLength.', effect: reject('ERR_LIMIT_EXCEEDED'), specRef: '§7.1' },
  InvalidLimitOption: { description: 'A verifier limit option that is not a positive integer.', effect: reject('ERR_USAGE', ': the caller, not the token, is wrong'), specRef: '§7' },

  // Ed25519 signatures.
Es256HighS: { description: 'An ES256 signature (r, s) replaced by its twin (r, n − s) with s > n/2: plain ECDSA accepts it, nestoken requires low S.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§5.2' },
  Es256ScalarRange: { description: 'An ES256 signature with r or s equal to 0, or equal to or above the group order n.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§5.2' },
  Es256SignatureForm: { description: 'An ES256 signature that is not 64 bytes r ‖ s: DER (ASN.1) encoded, cut short or one byte longer.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§5.2' },
  Es256Layer: { description: 'A chain with ES256 (P-256) layers, alone or mixed with Ed25519 layers, in either format.', effect: VALID, specRef: '§5.2' },
    NonCanonicalSignatureScalar: { description: 'An Ed25519 signature whose S is replaced by S + L (S >= L): the same equation, a malleable encoding.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§5.2' },
  SmallOrderSignature: { description: 'An Ed25519 signature that is all zero bytes, or whose R is of small order.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§5.2' },

  // Aggregate modes.
  ModifiedCommitment: { description: 'A layer commitment R replaced by another valid group element.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§6.4' },
  ModifiedScalar: { description: 'The chain scalar s_n replaced by another canonical scalar.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§6.4' },
  NonCanonicalScalar: { description: 'A proof scalar >= L.', effect: reject('ERR_SCALAR_INVALID'), specRef: '§6.2' },
  ZeroScalar: { description: 'A proof scalar equal to zero.', effect: reject('ERR_SCALAR_INVALID'), specRef: '§6.2' },
  IdentityPoint: { description: 'A commitment (R or the seal R\') that encodes the identity element.', effect: reject('ERR_POINT_INVALID'), specRef: '§6.2' },
  NonCanonicalPoint: { description: 'A commitment that is not a canonical ristretto255 encoding (field element >= p, negative, not on the group).', effect: reject('ERR_POINT_INVALID'), specRef: '§6.2' },
  ProofMissing: { description: 'An aggregate token without its proof, or an ID-mode token with one.', effect: reject('ERR_MALFORMED or ERR_BASE64 (JWT form: the last layer is read as the proof)'), specRef: '§4.1.4' },
  ProofLength: { description: 'A proof that is neither 32 (open) nor 64 (sealed) bytes.', effect: reject('ERR_MALFORMED'), specRef: '§6.2' },
  SealMoved: { description: 'A seal taken from one chain and put on another (a prefix of it, or another chain).', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§6.5' },
  NotSealed: { description: 'An open chain where the verifier requires a sealed one.', effect: reject('ERR_NOT_SEALED'), specRef: '§6.5' },
  AudienceInAggregate: { description: 'An aggregate layer that carries cnf: any holder of the scalar could extend it, so it binds nothing.', effect: reject('ERR_CLAIMS_INVALID'), specRef: '§3.3' },
  AnonymousRoot: { description: 'An aggregate root layer without kid.', effect: reject('ERR_HEADER_INVALID', ' at layer 0'), specRef: '§7.4' },
  HybridKeySwap: { description: 'An identified hop whose kid (and iss) is replaced by another trusted key after signing.', effect: reject('ERR_ISSUER_MISMATCH or ERR_SIGNATURE_INVALID'), specRef: '§6.6' },
  IdentityStripped: { description: 'An identified hop made anonymous by removing kid and iss after signing.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§6.6' },
  IdentityAdded: { description: 'An anonymous hop attributed to a trusted key after signing.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§6.6' },
  RogueKey: { description: 'A hop that signs with its own trusted key but names another trusted key.', effect: reject('ERR_SIGNATURE_INVALID'), specRef: '§9.12' },

  // Crates.
  CrateValid: { description: 'A crate built by the reference implementation: every node hashes to its CID, every link resolves or is declared trimmed.', effect: 'valid: the report (head, proven nodes in canonical order, trimmed list, tokens, attestations) is as given', specRef: '§10.9' },
  CrateAttested: { description: 'The crate holds an attestation whose statement vouches for its subjects.', effect: 'the attestation is verified and reported', specRef: '§10.4.2' },
  CrateExtended: { description: 'A crate extended by a new root whose prev is the earlier root.', effect: VALID, specRef: '§10.4.1' },
  CrateTrimmed: { description: 'Node contents dropped, their CIDs kept and declared as trimmed.', effect: 'the head and attestations still verify; trimmed CIDs are listed, not proven', specRef: '§10.4.3' },
  CratePresented: { description: 'A subset disclosed with the paths and attestations that prove it belongs to the head.', effect: VALID, specRef: '§10.4.4' },
  CrateCompact: { description: 'The compact transport form (one base64url line).', effect: 'read as spec §10.8 says', specRef: '§10.8' },
  CrateCar: { description: 'The CARv1 transport form.', effect: 'read as spec §10.7 says', specRef: '§10.7' },
  CrateMerge: { description: 'Two crates merged by CID.', effect: 'valid: the head, present nodes and trimmed list are as given; or the merge is refused', specRef: '§10.4.5' },
  CrateCidMismatch: { description: 'Bytes that do not hash to the CID they are carried under, or two byte strings for one CID.', effect: reject('ERR_CRATE_CID_MISMATCH'), specRef: '§10.3.2' },
  CrateDanglingLink: { description: 'A link to a node that is neither present nor declared trimmed, or an absent earlier root.', effect: reject('ERR_CRATE_DANGLING_LINK'), specRef: '§10.5.2' },
  CrateDeclaredTrimmed: { description: 'A declared trimmed list that names a present or unlinked node, is out of order, or belongs to another head.', effect: reject('ERR_CRATE_NODE_INVALID'), specRef: '§10.5.2' },
  CrateUnreachable: { description: 'A present node that no path from the head reaches.', effect: reject('ERR_CRATE_NODE_INVALID'), specRef: '§10.5.2' },
  CrateCompactOrder: { description: 'Compact-form nodes not in canonical order.', effect: reject('ERR_NONCANONICAL'), specRef: '§10.8' },
  CrateMalformedCompact: { description: 'A compact form of the wrong shape: version, element count, node types, repeats, base64url.', effect: reject('ERR_MALFORMED or ERR_BASE64'), specRef: '§10.8' },
  CrateMalformedCar: { description: 'A CAR of the wrong shape: not a CAR, too many roots, a missing or foreign manifest.', effect: reject('ERR_MALFORMED or ERR_CRATE_NODE_INVALID'), specRef: '§10.7' },
  CrateNonCanonicalNode: { description: 'A node that is not canonical DAG-CBOR.', effect: reject('ERR_NONCANONICAL'), specRef: '§10.3.1' },
  CrateNodeInvalid: { description: 'A node that breaks its schema: unknown type or member, bad format, empty bytes, floats or links in data, bad links.', effect: reject('ERR_CRATE_NODE_INVALID'), specRef: '§10.2' },
  CrateLinkKind: { description: 'A link to a node of a kind its field does not allow.', effect: reject('ERR_CRATE_NODE_INVALID'), specRef: '§10.2.6' },
  CrateAttestationInvalid: { description: 'An attestation whose statement does not verify or does not vouch for exactly the node subjects.', effect: "invalid: core's code for the statement, or ERR_CRATE_NODE_INVALID", specRef: '§10.9' },
  CrateTokenInvalid: { description: 'A nestoken inside the crate that does not verify with the given options.', effect: "invalid: core's code for the token", specRef: '§10.9' },
  CrateMergeConflict: { description: 'Two crates whose histories split.', effect: reject('ERR_CRATE_MERGE_CONFLICT'), specRef: '§10.4.5' },
  CrateDepth: { description: 'A crate whose longest path reaches a node a second time through a longer path: depth counts the height below a node already walked, not one.', effect: 'valid at maxDepth = the longest path; ERR_LIMIT_EXCEEDED one below it', specRef: '§10.5.1' },
  CrateCheckOrder: { description: 'A crate with two faults of different codes: the code of the check that comes first in spec §10.5.3 is reported.', effect: 'invalid: the code of the earlier check', specRef: '§10.5.3' },
  CrateStrictCbor: { description: 'A node outside strict DAG-CBOR: not well-formed, outside the data model, a repeated map key, or not its one encoding.', effect: 'invalid: ERR_CBOR, ERR_DUPLICATE_KEY or ERR_NONCANONICAL as spec §10.3.1 assigns', specRef: '§10.3.1' },
  CrateUnicodeText: { description: 'A node whose text begins with U+FEFF: the character is part of the text, not a byte-order mark.', effect: VALID, specRef: '§10.3.1' },
  CrateLimit: { description: 'A crate beyond a crate limit (set low in the options, or nesting beyond the default).', effect: reject('ERR_LIMIT_EXCEEDED or ERR_INPUT_TOO_LARGE'), specRef: '§10.6' },
};

export function noteFor(flag: string): Note {
  const note = FLAGS[flag];
  if (!note) throw new RangeError(`unknown flag ${flag}: add it to FLAGS and to spec appendix A`);
  return note;
}
