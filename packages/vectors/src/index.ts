export { generateVectors, stableJson, VECTOR_FILES } from './generate.js';
export { checkVectorText, checkTokenFile, checkCrateFile, type FileReport } from './check.js';
export { FLAGS } from './flags.js';
export type { VectorFile, GroupKeys, EcJwk, TokenVectorFile, TokenGroup, TokenTest, ExpectedPath, ExpectedHop, VerifierOptionsJson, Note } from './model.js';
export type { CrateVectorFile, CrateGroup, CrateTest, CrateReportJson, MergedJson, CrateOptionsJson } from './crate-model.js';
