import { NestokenError } from '@nestoken/core';
import { cidKey, cidText, asNodeCid, compareCids, type NodeCid } from './cid.js';
import { checkPlainMap, LONE_SURROGATE, type PlainMap } from './data.js';
import { checkBytes, checkLimit, type CrateLimits } from './limits.js';

/** The schemas of spec §10.2. Every node is a DAG-CBOR map with a `type` member. */
export const TOKEN_FORMATS = ['nestoken', 'jwt', 'cwt', 'other'] as const;
/** What a token node holds: a nestoken, a JWT, a CWT, or anything else. */
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/** A token node: the token bytes, their format, optional metadata. */
export interface TokenNode {
  readonly type: 'token';
  readonly format: TokenFormat;
  readonly bytes: Uint8Array;
  readonly meta?: PlainMap;
}

/** A bucket node: a name, the nodes it holds, optional claims. */
export interface BucketNode {
  readonly type: 'bucket';
  readonly name: string;
  /** Ordered links to tokens and buckets. */
  readonly items: readonly NodeCid[];
  readonly claims?: PlainMap;
}

/** An attestation node: CIDs and the one-layer nestoken statement signing them. */
export interface AttestationNode {
  readonly type: 'attestation';
  /** Sorted by CID bytes, no repeats. */
  readonly subjects: readonly NodeCid[];
  /** A one-layer ID-mode nestoken in CBOR form whose `data.attests` lists the subjects. */
  readonly statement: Uint8Array;
}

/** A crate root: its buckets and attestations, and the previous root when it extends a crate. */
export interface RootNode {
  readonly type: 'crate';
  readonly version: 1;
  readonly buckets: readonly NodeCid[];
  readonly attestations: readonly NodeCid[];
  /** The root this one extends. */
  readonly prev?: NodeCid;
}

/** Any crate node. */
export type CrateNode = TokenNode | BucketNode | AttestationNode | RootNode;
/** The type of a crate node. */
export type NodeType = CrateNode['type'];

/** Which kinds a link in each field may point to (spec §10.2.6). */
export type LinkField = 'buckets' | 'attestations' | 'prev' | 'items' | 'subjects';
/** Which node types each link field may point to (spec §10.4). */
export const LINK_TARGETS: Record<LinkField, readonly NodeType[]> = {
  buckets: ['bucket'],
  attestations: ['attestation'],
  prev: ['crate'],
  items: ['token', 'bucket'],
  subjects: ['token', 'bucket', 'attestation', 'crate'],
};

/** One link of a node: the field it is in and the CID it names. */
export interface Link {
  readonly field: LinkField;
  readonly cid: NodeCid;
  /**
   * The CID's text form (as `cidKey` gives it) when the link was read or made: links of blocks
   * made here carry it, frozen, and the walk looks targets up by it.
   */
  readonly key?: string;
}

/** The text form the walk looks a link's target up by. */
export const linkKey = (link: Link): string => link.key ?? cidKey(link.cid);

export const keyed = (field: LinkField, cid: NodeCid, key: string): Link => Object.freeze({ field, cid, key });

/** A node's links in their canonical order: the order every walk of a crate follows. */
export function linksOf(node: CrateNode): Link[] {
  const tag = (field: LinkField, cids: readonly NodeCid[]): Link[] => cids.map((cid) => keyed(field, cid, cidKey(cid)));
  switch (node.type) {
    case 'token':
      return [];
    case 'bucket':
      return tag('items', node.items);
    case 'attestation':
      return tag('subjects', node.subjects);
    case 'crate':
      return [...tag('buckets', node.buckets), ...tag('attestations', node.attestations), ...(node.prev ? tag('prev', [node.prev]) : [])];
  }
}

const MAX_NAME_BYTES = 256;

const invalid = (message: string): never => {
  throw new NestokenError('ERR_CRATE_NODE_INVALID', message);
};

function exactKeys(o: Record<string, unknown>, required: readonly string[], optional: readonly string[], what: string): void {
  for (const k of required) if (!(k in o)) invalid(`${what} lacks ${k}`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) invalid(`${what} has an unknown member ${k}`);
}

function bytesField(v: unknown, what: string, maxBytes: number): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length === 0) invalid(`${what} must be a non-empty byte string`);
  checkBytes((v as Uint8Array).length, maxBytes, what);
  return v as Uint8Array;
}

/** The CIDs of a link field, checked; each is added to `links` with its text form, computed once here. */
function linkList(v: unknown, what: string, limits: CrateLimits, sorted: boolean, field: LinkField, links: Link[]): NodeCid[] {
  if (!Array.isArray(v)) return invalid(`${what} must be a list of links`);
  checkLimit(v.length, limits.maxFanout, `links in ${what}`);
  const cids = v.map((c, i) => asNodeCid(c, `${what}[${i}]`));
  const seen = new Set<string>();
  cids.forEach((cid, i) => {
    const key = cidText(cid);
    if (seen.has(key)) invalid(`${what} links ${key} twice`);
    seen.add(key);
    if (sorted && i > 0 && compareCids(cids[i - 1]!, cid) >= 0) invalid(`${what} must be sorted by CID bytes`);
    links.push(keyed(field, cid, key));
  });
  return cids;
}

function nameField(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) return invalid('a bucket name is a non-empty string');
  if (LONE_SURROGATE.test(v)) invalid('a bucket name holds a lone surrogate, which UTF-8 cannot encode');
  if (new TextEncoder().encode(v).length > MAX_NAME_BYTES) invalid(`a bucket name is at most ${MAX_NAME_BYTES} UTF-8 bytes`);
  return v;
}

/** Checks a decoded value against the schemas and returns it typed. Never reads beyond the limits. */
export const checkNode = (value: unknown, limits: CrateLimits): CrateNode => readNode(value, limits).node;

/**
 * {@link checkNode}, with the node's links in canonical order (as {@link linksOf} gives them),
 * frozen, each with its text form: the schema check reads every link anyway.
 */
export function readNode(value: unknown, limits: CrateLimits): { node: CrateNode; links: readonly Link[] } {
  const links: Link[] = [];
  return { node: schemaNode(value, limits, links), links: Object.freeze(links) };
}

function schemaNode(value: unknown, limits: CrateLimits, links: Link[]): CrateNode {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return invalid('a node is a map');
  const o = value as Record<string, unknown>;
  switch (o.type) {
    case 'token': {
      exactKeys(o, ['type', 'format', 'bytes'], ['meta'], 'a token');
      if (!(TOKEN_FORMATS as readonly unknown[]).includes(o.format)) invalid(`token format must be one of ${TOKEN_FORMATS.join(', ')}`);
      const bytes = bytesField(o.bytes, 'token bytes', limits.maxNodeBytes);
      const meta = o.meta === undefined ? undefined : checkPlainMap(o.meta, limits.maxDataDepth, 'token meta');
      return { type: 'token', format: o.format as TokenFormat, bytes, ...(meta ? { meta } : {}) };
    }
    case 'bucket': {
      exactKeys(o, ['type', 'name', 'items'], ['claims'], 'a bucket');
      const name = nameField(o.name);
      const items = linkList(o.items, 'bucket items', limits, false, 'items', links);
      const claims = o.claims === undefined ? undefined : checkPlainMap(o.claims, limits.maxDataDepth, 'bucket claims');
      return { type: 'bucket', name, items, ...(claims ? { claims } : {}) };
    }
    case 'attestation': {
      exactKeys(o, ['type', 'subjects', 'statement'], [], 'an attestation');
      const subjects = linkList(o.subjects, 'attestation subjects', limits, true, 'subjects', links);
      if (subjects.length === 0) invalid('an attestation vouches for at least one node');
      return { type: 'attestation', subjects, statement: bytesField(o.statement, 'attestation statement', limits.maxNodeBytes) };
    }
    case 'crate': {
      exactKeys(o, ['type', 'version', 'buckets', 'attestations'], ['prev'], 'a crate root');
      if (o.version !== 1) invalid('crate root version must be 1');
      const buckets = linkList(o.buckets, 'crate buckets', limits, false, 'buckets', links);
      const attestations = linkList(o.attestations, 'crate attestations', limits, false, 'attestations', links);
      const prev = o.prev === undefined ? undefined : asNodeCid(o.prev, 'crate prev');
      if (prev) links.push(keyed('prev', prev, cidText(prev)));
      checkLimit(buckets.length + attestations.length + (prev ? 1 : 0), limits.maxFanout, 'links in a crate root');
      return { type: 'crate', version: 1, buckets, attestations, ...(prev ? { prev } : {}) };
    }
    default:
      return invalid(`unknown node type ${JSON.stringify(typeof o.type === 'string' ? o.type.slice(0, 40) : o.type)}`);
  }
}
