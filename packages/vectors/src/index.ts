export { generateVectors, stableJson, VECTOR_FILES } from './generate.js';
export { checkVectorText, checkTokenFile, checkCrateFile, type FileReport } from './check.js';
export { FLAGS } from './flags.js';
export type { TokenVectorFile, TokenGroup, TokenTest, ExpectedPath, ExpectedHop, VerifierOptionsJson, Note } from './model.js';
export type { CrateVectorFile, CrateGroup, CrateTest, CrateReportJson, MergedJson, CrateOptionsJson } from './crate-model.js';
export {
  mintSvidChain,
  mintCertificate,
  mintRootCertificate,
  ed25519CaKeys,
  p256CaKeys,
  rsaCaKeys,
  leafPublicKey,
  type CaKeys,
  type CertificateInit,
  type SvidChainInit,
  type SvidChain,
} from './x509-svid-mint.js';
