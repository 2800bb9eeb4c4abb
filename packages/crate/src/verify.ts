import { NestokenError, verify as verifyToken, type ProvenPath, type VerifyOptions } from '@nestoken/core';
import { checkAttestation, type AttestationReport } from './attestation.js';
import { checkBlockAgain, type CrateBlock } from './block.js';
import { linkCrate, type Crate } from './crate.js';
import { checkBytes, checkCrateBytes, checkLimit, resolveCrateLimits, type CrateLimits } from './limits.js';
import { linkKey, type NodeType, type TokenFormat } from './node.js';
import { asNodeCid, cidKey } from './cid.js';

/** What `verifyCrate` checks a crate against. */
export interface CrateVerifyOptions {
  readonly trust: VerifyOptions['trust'];
  /** Seconds since the epoch; default: the clock. */
  readonly now?: number;
  readonly clockSkew?: number;
  /** Extra options for the nestoken tokens inside (audience, issuers, revocation...). */
  readonly tokens?: Omit<VerifyOptions, 'trust' | 'now' | 'clockSkew'>;
  /** Identities accepted as attesters; default: any the trust bundle accepts. */
  readonly attesters?: readonly string[];
  readonly limits?: Partial<CrateLimits>;
  /**
   * The chain the crate travels with. When given, every attestation must name this chain
   * (its root layer's digest) and be signed by one of its identified hops with the key that
   * hop used; any other is refused (`ERR_ATTESTATION_UNBOUND`), since it was made for
   * another request.
   */
  readonly chain?: ProvenPath;
}

/** A token of a verified crate: where it sits and, for a nestoken, its proven chain. */
export interface TokenReport {
  readonly cid: string;
  readonly format: TokenFormat;
  /** CIDs from the root down to the token. */
  readonly path: readonly string[];
  /** Bucket names along that path. */
  readonly buckets: readonly string[];
  /** The proven chain, for nestoken tokens; other formats are carried, not checked. */
  readonly chain?: ProvenPath;
  /** Who attested this token (an attestation listing it as a subject), in canonical order; empty when nobody did. */
  readonly attestedBy: readonly string[];
}

/** What `verifyCrate` returns: the proven nodes, the trimmed CIDs, the tokens and attestations. */
export interface CrateReport {
  readonly root: string;
  /** Present nodes: each hashed to its CID and reached from the root. */
  readonly proven: ReadonlyArray<{ readonly cid: string; readonly type: NodeType }>;
  readonly trimmed: readonly string[];
  readonly tokens: readonly TokenReport[];
  readonly attestations: readonly AttestationReport[];
  readonly bytes: number;
  readonly depth: number;
}

/** An attestation counts for a chain only when made for it, by one of its hops (spec §10.9 step 3). */
function checkAttestationBound(report: AttestationReport, chain: ProvenPath): void {
  if (report.chain !== chain.hops[0]?.digest) {
    throw new NestokenError('ERR_ATTESTATION_UNBOUND', `attestation ${report.cid} was made for another chain`);
  }
  const byHop = chain.hops.some((h) => !h.anonymous && h.identity === report.attester && h.keyThumbprint === report.keyThumbprint);
  if (!byHop) throw new NestokenError('ERR_ATTESTATION_UNBOUND', `attestation ${report.cid} is signed by ${report.attester}, not a hop of this chain`);
}

/** Where a node sits: the CIDs from the root down to it, and the names of the buckets among them. */
interface Place {
  readonly path: readonly string[];
  readonly buckets: readonly string[];
}

/** The first path (in canonical order) from the root to every present node, with its bucket names, each path built once. */
function placesFromRoot(crate: Crate): Map<string, Place> {
  const rootKey = cidKey(crate.root);
  const places = new Map<string, Place>([[rootKey, { path: [rootKey], buckets: [] }]]);
  for (const [key, block] of crate.blocks) {
    const here = places.get(key);
    if (!here) continue;
    for (const link of block.links) {
      const child = linkKey(link);
      const node = crate.blocks.get(child)?.node;
      if (node && !places.has(child)) places.set(child, { path: [...here.path, child], buckets: node.type === 'bucket' ? [...here.buckets, node.name] : here.buckets });
    }
  }
  return places;
}

/**
 * Trusts nothing of the object it is given but its shape: every node is hashed again, and a node
 * that a reader of this package did not check under these limits, or whose bytes or CID changed
 * since, is decoded and checked again (`checkBlockAgain`).
 */
function rehash(crate: Crate, limits: CrateLimits): Crate {
  if (typeof crate !== 'object' || crate === null || !(crate.blocks instanceof Map) || !Array.isArray(crate.trimmed)) {
    throw new NestokenError('ERR_USAGE', 'verifyCrate needs a crate (from a builder, fromCar or fromCompact)');
  }
  checkLimit(crate.blocks.size + crate.trimmed.length, limits.maxNodes, 'nodes in the crate');
  // Sizes first, from the lengths alone: nothing is hashed or decoded before the whole crate is within bounds.
  let total = 0;
  for (const b of crate.blocks.values()) {
    if (!(b?.bytes instanceof Uint8Array)) throw new NestokenError('ERR_CRATE_NODE_INVALID', 'a present node has no bytes');
    checkBytes(b.bytes.length, limits.maxNodeBytes, 'a node');
    total += b.bytes.length;
  }
  checkCrateBytes(total, crate.blocks.size + crate.trimmed.length, limits);
  const blocks = new Map<string, CrateBlock>();
  for (const b of crate.blocks.values()) {
    const { block, key } = checkBlockAgain(b, limits);
    blocks.set(key, block);
  }
  const trimmed = crate.trimmed.map((c, i) => asNodeCid(c, `trimmed[${i}]`));
  return linkCrate(asNodeCid(crate.root, 'the root'), blocks, limits, trimmed);
}

/**
 * Checks a crate as a whole (spec §10.9): every present node is hashed again (bytes may have
 * been changed in memory since it was read), the graph is relinked against the declared
 * trimmed list, then every attestation and every nestoken token is verified by core. The first
 * failure throws; success returns what was proven and what was trimmed.
 */
export async function verifyCrate(input: Crate, options: CrateVerifyOptions): Promise<CrateReport> {
  if (!options || typeof options !== 'object' || !options.trust) throw new NestokenError('ERR_USAGE', 'verifyCrate needs a trust bundle');
  const limits = resolveCrateLimits(options.limits);
  const crate = rehash(input, limits);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const at = { trust: options.trust, now, ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}) };
  const places = placesFromRoot(crate);
  // A token in a crate is a record addressed to a hop of its time, not a request to this verifier.
  const tokenOptions = { allowAnyAudience: true, ...options.tokens, ...at };
  const tokens: TokenReport[] = [];
  const attestations: AttestationReport[] = [];
  let bytes = 0;
  for (const [key, block] of crate.blocks) {
    bytes += block.bytes.length;
    const node = block.node;
    if (node.type === 'attestation') {
      // An attestation starts no call chain: without an attesters list, any identity the trust proves may attest.
      const report = await checkAttestation(key, block.links.map(linkKey), node.statement, { ...at, ...(options.attesters ? { issuers: options.attesters } : { allowVouchedIssuer: true }) });
      if (options.chain) checkAttestationBound(report, options.chain);
      attestations.push(report);
    } else if (node.type === 'token') {
      const { path, buckets } = places.get(key)!;
      let chain: ProvenPath | undefined;
      if (node.format === 'nestoken') {
        try {
          chain = await verifyToken(node.bytes, tokenOptions);
        } catch (e) {
          if (e instanceof NestokenError) throw new NestokenError(e.code, `token ${key}: ${e.message}`, { cause: e });
          throw e;
        }
      }
      tokens.push(chain ? { cid: key, format: node.format, path, buckets: [...buckets], chain, attestedBy: [] } : { cid: key, format: node.format, path, buckets: [...buckets], attestedBy: [] });
    }
  }
  // Attesters are known only once every attestation is checked: each token's list is filled in then, in place.
  const attestedBy = new Map<string, string[]>(tokens.map((t) => [t.cid, t.attestedBy as string[]]));
  for (const a of attestations) for (const s of a.subjects) attestedBy.get(s)?.push(a.attester);
  return {
    root: cidKey(crate.root),
    proven: [...crate.blocks].map(([cid, b]) => ({ cid, type: b.node.type })),
    trimmed: crate.trimmed.map(cidKey),
    tokens,
    attestations,
    bytes,
    depth: crate.depth,
  };
}
