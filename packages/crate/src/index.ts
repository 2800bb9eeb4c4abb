import { resolveCrateLimits as resolveCrateLimits_ } from './limits.js';
import { cidForBytes as cidForBytes_ } from './cid.js';
import { cidKey as cidKey_ } from './cid.js';
import { toNodeCid as toNodeCid_ } from './cid.js';
import { compareCids as compareCids_ } from './cid.js';
import { linksOf as linksOf_ } from './node.js';
import { blockFromBytes as blockFromBytes_ } from './block.js';
import { blockFromNode as blockFromNode_ } from './block.js';
import { linkCrate as linkCrate_ } from './crate.js';
import { getNode as getNode_ } from './crate.js';
import { rootChain as rootChain_ } from './crate.js';
import { crateEquals as crateEquals_ } from './crate.js';
import { walkDag as walkDag_ } from './walk.js';
import { buildCrate as buildCrate_ } from './builder.js';
import { trim as trim_ } from './trim.js';
import { present as present_ } from './trim.js';
import { merge as merge_ } from './merge.js';
import { mergeAll as mergeAll_ } from './merge.js';
import { verifyCrate as verifyCrate_ } from './verify.js';
import { toCar as toCar_ } from './car.js';
import { fromCar as fromCar_ } from './car.js';
import { carSize as carSize_ } from './car.js';
import { toCompact as toCompact_ } from './compact.js';
import { fromCompact as fromCompact_ } from './compact.js';
import { toCompactBytes as toCompactBytes_ } from './compact.js';
import { fromCompactBytes as fromCompactBytes_ } from './compact.js';
import { decodeCrate as decodeCrate_ } from './decode.js';
import { isCompactText as isCompactText_ } from './decode.js';
import { encodeManifest as encodeManifest_ } from './manifest.js';
import { decodeManifest as decodeManifest_ } from './manifest.js';
import { sizeReport as sizeReport_ } from './size.js';
import { graph as graph_ } from './graph.js';
import { graphModel as graphModel_ } from './graph.js';
import { usageBoundary } from '@nestoken/core';

export { DEFAULT_CRATE_LIMITS, type CrateLimits } from './limits.js';
export { DAG_CBOR, SHA2_256, type NodeCid } from './cid.js';
export type { PlainData, PlainMap } from './data.js';
export { TOKEN_FORMATS, LINK_TARGETS, type TokenFormat, type TokenNode, type BucketNode, type AttestationNode, type RootNode, type CrateNode, type NodeType, type Link, type LinkField } from './node.js';
export { type CrateBlock } from './block.js';
export { type Crate } from './crate.js';
export { type WalkNode, type WalkResult } from './walk.js';
export { CrateBuilder, type CidInput, type TokenInput, type BucketInput, type AttestInput, type CrateSpec } from './builder.js';
export { ATTESTATION_CONTEXT, type AttestOptions, type AttestationReport } from './attestation.js';

export { type CrateVerifyOptions, type CrateReport, type TokenReport } from './verify.js';

export { COMPACT_VERSION } from './compact.js';

export { type TrimManifest } from './manifest.js';
export { HEADER_BUDGET, type SizeReport } from './size.js';
export { type GraphFormat, type GraphNode, type GraphEdge } from './graph.js';

// Functions: each behind core's usage boundary (spec §2.7); documented where it is defined.
/** The limits to apply: the defaults with `partial` over them, each checked. */
export const resolveCrateLimits = usageBoundary('resolveCrateLimits', resolveCrateLimits_);
/** The CID of a node from its DAG-CBOR bytes. */
export const cidForBytes = usageBoundary('cidForBytes', cidForBytes_);
/** The CID's string form (multibase base32), remembered per instance: CID strings key every map here. */
export const cidKey = usageBoundary('cidKey', cidKey_);
/** Accepts a CID or its string form (any multibase that multiformats knows). */
export const toNodeCid = usageBoundary('toNodeCid', toNodeCid_);
/** Unsigned bytewise order of the binary CIDs: the order of every sorted CID list. */
export const compareCids = usageBoundary('compareCids', compareCids_);
/** A node's links in their canonical order: the order every walk of a crate follows. */
export const linksOf = usageBoundary('linksOf', linksOf_);
/**
 * Received bytes, checked in order of cost: size, hash against the claimed CID (when the
 * transport names one), canonical decoding, schema (spec §10.3).
 */
export const blockFromBytes = usageBoundary('blockFromBytes', blockFromBytes_);
/** A node made here: checked against the schema first, so only valid nodes ever get a CID. */
export const blockFromNode = usageBoundary('blockFromNode', blockFromNode_);
/**
 * Checks a set of present nodes as a whole against the root (spec §10.5): every node reachable,
 * links of the right kinds, no cycles, within the limits, and (when the transport declares a
 * trimmed list) every absent link target declared and nothing else.
 */
export const linkCrate = usageBoundary('linkCrate', linkCrate_);
/** Looks a node up by CID or CID string. */
export const getNode = usageBoundary('getNode', getNode_);
/** The head and every root it extends, newest first: never trimmed. */
export const rootChain = usageBoundary('rootChain', rootChain_);
/** Same root, same present nodes, same trimmed CIDs: a CID names its bytes, so this is content equality. */
export const crateEquals = usageBoundary('crateEquals', crateEquals_);
/**
 * One iterative depth-first pass (spec §10.5.1): canonical order, link kinds, cycles (a link back
 * to a node still on the path), depth and the frontier of absent nodes. The path stack never
 * grows beyond maxDepth, so hostile input cannot exhaust memory or the call stack.
 */
export const walkDag = usageBoundary('walkDag', walkDag_);
/** One call for the common shape: named buckets of tokens, on top of `base` when given. */
export const buildCrate = usageBoundary('buildCrate', buildCrate_);
/**
 * Drops the bytes of every node not in `keep`, keeping its CID as a trimmed link (spec §10.4.3).
 * Kept as well: the roots (never trimmed) and every node on a path from the root to a kept
 * node. No node's bytes change, so the root CID and every attestation stay valid.
 */
export const trim = usageBoundary('trim', trim_);
/**
 * Selective disclosure (spec §10.4.4): the chosen nodes with everything below them, the paths
 * from the root to them, and the attestations that vouch for any of those nodes; all else
 * is trimmed.
 */
export const present = usageBoundary('present', present_);
/**
 * Union by CID (spec §10.4.5): a node present on either side is present in the result, so
 * trimmed nodes come back when the other side has them. The result's root is the later of
 * the two roots. Commutative, associative and idempotent on content.
 */
export const merge = usageBoundary('merge', merge_);
/** Merges any number of crates, left to right. */
export const mergeAll = usageBoundary('mergeAll', mergeAll_);
/**
 * Checks a crate as a whole (spec §10.9): every present node is hashed again (bytes may have
 * been changed in memory since it was read), the graph is relinked against the declared
 * trimmed list, then every attestation and every nestoken token is verified by core. The first
 * failure throws; success returns what was proven and what was trimmed.
 */
export const verifyCrate = usageBoundary('verifyCrate', verifyCrate_);
/** CARv1 bytes (spec §10.7): blocks in canonical order, so one crate always gives the same bytes. */
export const toCar = usageBoundary('toCar', toCar_);
/** Reads a crate from CAR bytes; sizes are checked before parsing, counts before hashing. */
export const fromCar = usageBoundary('fromCar', fromCar_);
/** The size in bytes of the crate as a CAR file. */
export const carSize = usageBoundary('carSize', carSize_);
/** The compact form as base64url text, for a header. */
export const toCompact = usageBoundary('toCompact', toCompact_);
/** Reads the header value; anything but unpadded base64url is refused before decoding. */
export const fromCompact = usageBoundary('fromCompact', fromCompact_);
/**
 * The compact transport form (spec §10.8): base64url without padding of the DAG-CBOR list
 * [1, [node bytes, root first, canonical order], [trimmed CIDs, sorted]]. CIDs of present
 * nodes are not sent: the receiver hashes the bytes. One crate has exactly one compact form.
 */
export const toCompactBytes = usageBoundary('toCompactBytes', toCompactBytes_);
/** Reads the compact form from its bytes (after base64url decoding), within limits. */
export const fromCompactBytes = usageBoundary('fromCompactBytes', fromCompactBytes_);
/** A crate in either transport form: compact text (string or its bytes) or CAR bytes. */
export const decodeCrate = usageBoundary('decodeCrate', decodeCrate_);
/** Whether bytes are the compact form as text: base64url and whitespace only. A CAR never is (its header is a CBOR map). */
export const isCompactText = usageBoundary('isCompactText', isCompactText_);
/** The trim manifest of a root: which CIDs were trimmed, as a node and its CID. */
export const encodeManifest = usageBoundary('encodeManifest', encodeManifest_);
/** Reads a trim manifest, within limits. */
export const decodeManifest = usageBoundary('decodeManifest', decodeManifest_);
/** The sizes of a crate. */
export const sizeReport = usageBoundary('sizeReport', sizeReport_);
/** The DAG as text a person can render: Mermaid flowchart or Graphviz DOT. */
export const graph = usageBoundary('graph', graph_);
/** The DAG as nodes (present and trimmed, labelled) and edges: what `graph` writes, for drawing it otherwise. */
export const graphModel = usageBoundary('graphModel', graphModel_);
