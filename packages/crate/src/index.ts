export { DEFAULT_CRATE_LIMITS, resolveCrateLimits, type CrateLimits } from './limits.js';
export { DAG_CBOR, SHA2_256, cidForBytes, cidKey, toNodeCid, compareCids, type NodeCid } from './cid.js';
export type { PlainData, PlainMap } from './data.js';
export {
  TOKEN_FORMATS,
  LINK_TARGETS,
  linksOf,
  type TokenFormat,
  type TokenNode,
  type BucketNode,
  type AttestationNode,
  type RootNode,
  type CrateNode,
  type NodeType,
  type Link,
  type LinkField,
} from './node.js';
export { blockFromBytes, blockFromNode, type CrateBlock } from './block.js';
export { linkCrate, getNode, rootChain, crateEquals, type Crate } from './crate.js';
export { walkDag, type WalkNode, type WalkResult } from './walk.js';
export { CrateBuilder, buildCrate, type CidInput, type TokenInput, type BucketInput, type AttestInput, type CrateSpec } from './builder.js';
export { ATTESTATION_CONTEXT, type AttestOptions, type AttestationReport } from './attestation.js';
export { trim, present } from './trim.js';
export { merge, mergeAll } from './merge.js';
export { verifyCrate, type CrateVerifyOptions, type CrateReport, type TokenReport } from './verify.js';
export { toCar, fromCar, carSize } from './car.js';
export { toCompact, fromCompact, toCompactBytes, fromCompactBytes, COMPACT_VERSION } from './compact.js';
export { decodeCrate, isCompactText } from './decode.js';
export { encodeManifest, decodeManifest, type TrimManifest } from './manifest.js';
export { sizeReport, HEADER_BUDGET, type SizeReport } from './size.js';
export { graph, graphModel, type GraphFormat, type GraphNode, type GraphEdge } from './graph.js';
