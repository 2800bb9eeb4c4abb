import { decodeToken, DEFAULT_LIMITS, NestokenError } from '@nestoken/core';
import type { CID } from 'multiformats/cid';
import { signStatement, type AttestOptions } from './attestation.js';
import { blockFromNode, type CrateBlock } from './block.js';
import { cidKey, compareCids, toNodeCid, type NodeCid } from './cid.js';
import { linkCrate, type Crate } from './crate.js';
import type { PlainMap } from './data.js';
import { checkCrateBytes, checkLimit, resolveCrateLimits, type CrateLimits } from './limits.js';
import type { TokenFormat } from './node.js';

/** A CID, as an object or its string. */
export type CidInput = CID | string;

/** A token to put in a crate: its format, its bytes (or text) and optional metadata. */
export interface TokenInput {
  readonly format: TokenFormat;
  /** The token as sent; text forms (JWT, nestoken text) may be given as a string. */
  readonly bytes: Uint8Array | string;
  readonly meta?: PlainMap;
}

/** A bucket to add: its name, the nodes it holds, optional claims. */
export interface BucketInput {
  readonly name: string;
  /** Tokens and buckets, in order; each must already be in the crate or added to this builder. */
  readonly items: readonly CidInput[];
  readonly claims?: PlainMap;
}

/** An attestation to add: the nodes it signs and how. */
export interface AttestInput extends AttestOptions {
  /** Any nodes already in the crate or added to this builder, the earlier root included. */
  readonly subjects: readonly CidInput[];
}

/**
 * Adds nodes to a new crate or on top of an existing (possibly trimmed) one. A node can only
 * link to CIDs that exist before it, so the graph cannot have a cycle (spec §10.4.1).
 * `build` writes a new root whose `prev` is the base's root.
 */
export class CrateBuilder {
  readonly limits: CrateLimits;
  private readonly base: Crate | undefined;
  private readonly added = new Map<string, CrateBlock>();
  private readonly trimmed: ReadonlySet<string>;
  private readonly buckets = new Map<string, NodeCid>();
  private readonly attestations = new Map<string, NodeCid>();
  private readonly nested = new Set<string>();

  /** A builder for a new crate, or for one that extends `base`. */
  constructor(base?: Crate, limits?: Partial<CrateLimits>) {
    let trimmed: unknown;
    try {
      trimmed = base === undefined ? [] : base.trimmed;
      if (base !== undefined && !(base.blocks instanceof Map)) trimmed = undefined;
    } catch {
      trimmed = undefined;
    }
    if (!Array.isArray(trimmed)) throw new NestokenError('ERR_USAGE', 'CrateBuilder: base is a Crate (from buildCrate, decodeCrate or a builder)');
    this.base = base;
    this.trimmed = new Set(trimmed.map((c) => cidKey(toNodeCid(c as NodeCid, 'a trimmed CID'))));
    this.limits = resolveCrateLimits(limits);
    let bytes = 0;
    for (const b of base?.blocks.values() ?? []) bytes += b.bytes.length;
    this.baseBytes = bytes;
  }

  private known(input: CidInput, what: string): NodeCid {
    const cid = toNodeCid(input, what);
    const key = cidKey(cid);
    if (this.added.has(key) || this.base?.blocks.has(key) || this.trimmed.has(key)) return cid;
    throw new NestokenError('ERR_CRATE_DANGLING_LINK', `${what} ${key} is not in this crate`);
  }

  private addedBytes = 0;
  private readonly baseBytes: number;

  /**
   * Refuses, when it is added, a node that would make the crate unreadable under the builder's
   * limits: the node count with the root still to come, and the budgeted size (spec §10.6), with
   * the codes `linkCrate` and every reader give. What a builder accepts, a verifier accepts.
   */
  private add(block: CrateBlock): NodeCid {
    const key = cidKey(block.cid);
    if (this.added.has(key) || this.base?.blocks.has(key)) return block.cid;
    const baseNodes = (this.base?.blocks.size ?? 0) + (this.base?.trimmed.length ?? 0);
    checkLimit(baseNodes + this.added.size + 2, this.limits.maxNodes, 'nodes in the crate, its new root included');
    checkCrateBytes(this.baseBytes + this.addedBytes + block.bytes.length, baseNodes + this.added.size + 2, this.limits);
    this.added.set(key, block);
    this.addedBytes += block.bytes.length;
    return block.cid;
  }

  /** Adds a token node; returns its CID. */
  token(input: TokenInput): NodeCid {
    const bytes = typeof input.bytes === 'string' ? new TextEncoder().encode(input.bytes) : input.bytes;
    return this.add(blockFromNode({ type: 'token', format: input.format, bytes, ...(input.meta ? { meta: input.meta } : {}) }, this.limits));
  }

  /** Adds a bucket node over nodes already known; returns its CID. */
  bucket(input: BucketInput): NodeCid {
    const items = (input.items ?? []).map((c) => this.known(c, 'bucket item'));
    const cid = this.add(blockFromNode({ type: 'bucket', name: input.name, items, ...(input.claims ? { claims: input.claims } : {}) }, this.limits));
    for (const item of items) this.nested.add(cidKey(item));
    this.buckets.set(cidKey(cid), cid);
    return cid;
  }

  /** Signs the subjects and adds the attestation node; returns its CID. */
  async attest(input: AttestInput): Promise<NodeCid> {
    const unique = new Map((input.subjects ?? []).map((c) => this.known(c, 'attestation subject')).map((c) => [cidKey(c), c] as const));
    const subjects = [...unique.values()].sort(compareCids);
    const statement = await signStatement(subjects, input);
    // verifyCrate reads the statement as a nestoken under core's default limits (spec §10.4.2): a statement
    // over too many subjects is refused here, with the code that verification would give.
    decodeToken(statement, DEFAULT_LIMITS);
    const cid = this.add(blockFromNode({ type: 'attestation', subjects, statement }, this.limits));
    this.attestations.set(cidKey(cid), cid);
    return cid;
  }

  /**
   * The new root lists the buckets added here that no other added bucket holds (or exactly
   * `buckets`, when given) and every attestation added here.
   */
  build(options: { buckets?: readonly CidInput[] } = {}): Crate {
    const buckets = options.buckets
      ? options.buckets.map((c) => this.known(c, 'root bucket'))
      : [...this.buckets.values()].filter((b) => !this.nested.has(cidKey(b)));
    const root = blockFromNode(
      { type: 'crate', version: 1, buckets, attestations: [...this.attestations.values()], ...(this.base ? { prev: this.base.root } : {}) },
      this.limits,
    );
    const blocks = new Map<string, CrateBlock>(this.base?.blocks ?? []);
    for (const [k, b] of this.added) blocks.set(k, b);
    blocks.set(cidKey(root.cid), root);
    return linkCrate(root.cid, blocks, this.limits);
  }
}

/** The common shape of `buildCrate`: named buckets of tokens. */
export interface CrateSpec {
  readonly buckets: ReadonlyArray<{ readonly name: string; readonly claims?: PlainMap; readonly tokens: readonly TokenInput[] }>;
}

/** One call for the common shape: named buckets of tokens, on top of `base` when given. */
export function buildCrate(spec: CrateSpec, options: { base?: Crate; limits?: Partial<CrateLimits> } = {}): Crate {
  const b = new CrateBuilder(options.base, options.limits);
  for (const bucket of spec.buckets) {
    const items = bucket.tokens.map((t) => b.token(t));
    b.bucket({ name: bucket.name, items, ...(bucket.claims ? { claims: bucket.claims } : {}) });
  }
  return b.build();
}
