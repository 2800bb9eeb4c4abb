import * as dagCbor from '@ipld/dag-cbor';
import { ATTESTATION_CONTEXT, blockFromNode, CrateBuilder, DEFAULT_CRATE_LIMITS, encodeManifest, linkCrate, present, toCar, toCompact, trim, type Crate, type CrateBlock, type CrateNode, type NodeCid } from '@nestoken/crate';
import { encodeToken, issue, type ErrorCode, type SigningKey } from '@nestoken/core';
import { CID } from 'multiformats/cid';
import { b64u, concat, hex } from '../bytes.js';
import { Cast, HOUR, NOW } from '../cast.js';
import { aggregateChain, idChain } from '../chains.js';
import { CrateFileBuilder, type CrateCaseInit } from '../crate-builder.js';
import type { CrateReportJson, CrateVectorFile, MergedJson } from '../crate-model.js';
import { canonicalWalk } from '../crate-walk.js';
import type { Expectation } from '../expectation.js';
import { Seeded, derive } from '../seeded.js';
import { rawCar } from '../wire/car.js';
import { cborForm, jwtForm } from '../wire/container.js';
import { rawMap } from '../wire/raw.js';
import type { CrateValue } from '../crate-outcome.js';

const block = (node: CrateNode): CrateBlock => blockFromNode(node, DEFAULT_CRATE_LIMITS);
const compactOf = (nodes: readonly Uint8Array[], trimmed: readonly CID[]): string => b64u(dagCbor.encode([1, [...nodes], [...trimmed]]));
const blocksOf = (c: Crate): CrateBlock[] => [...c.blocks.values()];
const carOf = (c: Crate): string => hex(toCar(c));
const flipLast = (b: Uint8Array): Uint8Array => {
  const out = Uint8Array.from(b);
  out[out.length - 1] = out[out.length - 1]! ^ 0x01;
  return out;
};

interface Known {
  /** Who signed each attestation, by CID. */
  readonly attesters: ReadonlyMap<string, string>;
  /** The issuer of each nestoken token, by CID. */
  readonly issuers: ReadonlyMap<string, string>;
}

/** The report spec §10.9 prescribes, predicted from the blocks with an independent walk. */
function expectedReport(c: Crate, known: Known): CrateReportJson {
  const walk = canonicalWalk(c.root.toString(), c.blocks.values());
  const names = (path: readonly string[]) => path.flatMap((k) => (walk.nodes.get(k)!.type === 'bucket' ? [walk.nodes.get(k)!.name as string] : []));
  const typed = walk.order.map((cid) => ({ cid, node: walk.nodes.get(cid)! }));
  return {
    root: c.root.toString(),
    proven: typed.map(({ cid, node }) => ({ cid, type: node.type as string })),
    trimmed: walk.trimmed,
    tokens: typed
      .filter(({ node }) => node.type === 'token')
      .map(({ cid, node }) => ({ cid, format: node.format as string, buckets: names(walk.paths.get(cid)!), ...(known.issuers.has(cid) ? { issuer: known.issuers.get(cid)! } : {}) })),
    attestations: typed
      .filter(({ node }) => node.type === 'attestation')
      .map(({ cid, node }) => ({ cid, attester: known.attesters.get(cid)!, subjects: (node.subjects as CID[]).map(String) })),
    depth: walk.depth,
  };
}

function expectedMerge(head: NodeCid, blocks: Iterable<CrateBlock>): MergedJson {
  const walk = canonicalWalk(head.toString(), blocks);
  return { root: head.toString(), present: [...walk.order], trimmed: [...walk.trimmed] };
}

export async function crateVectors(seed: string): Promise<CrateVectorFile> {
  const cast = new Cast(new Seeded(seed));
  const file = new CrateFileBuilder(seed);
  const trust = cast.trust(['idp', 'gateway', 'foo']);
  const keys = cast.publicKeys(['idp', 'gateway', 'foo', 'bar', 'stranger']);
  const attesters = new Map<string, string>();
  const issuers = new Map<string, string>();
  const known: Known = { attesters, issuers };

  // The tokens: an ID chain in the CBOR form, an anonymous chain in the JWT form, opaque tokens.
  const n1 = await idChain(cast, { roles: ['idp', 'gateway', 'foo'], formats: ['cbor', 'jwt'], tag: 'crate-id' });
  const n2 = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [{ format: 'cbor' }], tag: 'crate-anon' });
  const attest = async (b: CrateBuilder, role: string, subjects: NodeCid[]) => {
    const cid = await b.attest({ key: cast.key(role), subjects, expiresAt: NOW + HOUR, issuer: cast.identity(role) });
    attesters.set(cid.toString(), cast.identity(role));
    return cid;
  };
  const b0 = new CrateBuilder();
  const t1 = b0.token({ format: 'nestoken', bytes: cborForm(n1.token) });
  const t2 = b0.token({ format: 'nestoken', bytes: jwtForm(n2.token) });
  const t3 = b0.token({ format: 'jwt', bytes: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl', meta: { source: 'upstream', checked: false } });
  issuers.set(t1.toString(), cast.identity('idp'));
  issuers.set(t2.toString(), cast.identity('idp'));
  const access = b0.bucket({ name: 'access', items: [t1, t3], claims: { purpose: 'read' } });
  const hops = b0.bucket({ name: 'hops', items: [t2, access] });
  await attest(b0, 'gateway', [access, hops]);
  const c0 = b0.build();
  const b1 = new CrateBuilder(c0);
  const t4 = b1.token({ format: 'cwt', bytes: derive(seed, 'crate/cwt'), meta: { salt: derive(seed, 'crate/salt').subarray(0, 16) } });
  b1.bucket({ name: 'extra', items: [t4] });
  await attest(b1, 'foo', [c0.root]);
  const c1 = b1.build();
  const b1b = new CrateBuilder(c0);
  b1b.bucket({ name: 'fork', items: [b1b.token({ format: 'other', bytes: derive(seed, 'crate/fork') })] });
  const fork = b1b.build();

  const g = file.group({ type: 'CrateVerify', comment: 'Crates (spec §10): idp signs the nestokens inside; gateway and foo attest. Each crate in the compact form and as a CAR where both apply.', keys, trust });
  const add = (c: Omit<CrateCaseInit, 'now'> & { now?: number }) => g.add({ ...c, now: c.now ?? NOW });
  const valid = (c: Crate, comment: string, flags: string[], extra: Partial<CrateCaseInit> = {}) =>
    add({ comment, flags: ['CrateValid', ...flags], compact: toCompact(c), carHex: carOf(c), expect: { valid: expectedReport(c, known) }, ...extra });
  valid(c0, 'two buckets holding two nestokens and an opaque JWT, one attestation', ['CrateAttested']);
  valid(c1, 'the crate extended by a second root that attests the first', ['CrateExtended', 'CrateAttested']);
  const trimmed = trim(c1, [t1]);
  valid(trimmed, 'the extended crate trimmed to the ID-mode token and its paths', ['CrateTrimmed']);
  valid(present(c1, [access]), 'the access bucket disclosed with what proves it belongs to the head', ['CratePresented', 'CrateTrimmed']);
  valid(c1, 'both attesters accepted', ['VerifierPolicy'], { options: { attesters: [cast.identity('gateway'), cast.identity('foo')] } });
  add({ comment: 'the compact form with white space around it', flags: ['CrateValid', 'CrateCompact'], compact: `\n ${toCompact(c0)} \n`, expect: { valid: expectedReport(c0, known) } });
  const single = new CrateBuilder();
  const only = single.token({ format: 'nestoken', bytes: cborForm(n1.token) });
  single.bucket({ name: 'id', items: [only] });
  const cId = single.build();
  valid(cId, "the nestokens are checked with the verifier's audience", ['VerifierPolicy'], { options: { tokens: { audience: cast.kid('foo') } } });
  add({ comment: 'a nestoken handed to another audience', flags: ['AudienceMismatch', 'CrateTokenInvalid'], compact: toCompact(cId), options: { tokens: { audience: cast.kid('gateway') } }, expect: { code: 'ERR_AUDIENCE_MISMATCH' } });
  add({ comment: 'gateway is not an accepted attester', flags: ['CrateAttestationInvalid', 'IssuerNotAccepted'], compact: toCompact(c0), options: { attesters: [cast.identity('foo')] }, expect: { code: 'ERR_KEY_UNTRUSTED' } });
  add({ comment: 'the tokens and the attestation have expired', flags: ['Expired', 'CrateTokenInvalid'], compact: toCompact(c0), now: NOW + HOUR + 60, expect: { code: 'ERR_EXPIRED' } });

  const bom = new CrateBuilder();
  bom.bucket({ name: '\uFEFFbom', items: [bom.token({ format: 'other', bytes: derive(seed, 'crate/bom'), meta: { note: '\uFEFF', long: `\uFEFF${'x'.repeat(40)}` } })] });
  const cBom = bom.build();
  valid(cBom, 'a bucket name and meta text that begin with U+FEFF: text, not a byte-order mark', ['CrateUnicodeText']);

  // Bytes that do not match their CID (CAR carries the CIDs).
  const manifest = encodeManifest(trimmed.root, trimmed.trimmed);
  const carBlocks = (c: Crate) => blocksOf(c).map((b) => ({ cid: b.cid as CID, bytes: b.bytes }));
  const roots = (c: Crate) => (c.trimmed.length ? [c.root as CID, manifest.cid as CID] : [c.root as CID]);
  for (const [what, cid] of [['a nestoken token', t1], ['an opaque token', t3], ['a bucket', access], ['the head', c1.root]] as const) {
    const blocks = carBlocks(c1).map((b) => (b.cid.toString() === cid.toString() ? { cid: b.cid, bytes: flipLast(b.bytes) } : b));
    add({ comment: `CAR: the last byte of ${what} changed, its CID kept`, flags: ['CrateCidMismatch'], carHex: hex(rawCar([c1.root as CID], blocks)), expect: { code: 'ERR_CRATE_CID_MISMATCH' } });
  }
  add({ comment: 'CAR: the trim manifest changed, its CID kept', flags: ['CrateCidMismatch'], carHex: hex(rawCar(roots(trimmed), [...carBlocks(trimmed), { cid: manifest.cid as CID, bytes: flipLast(manifest.bytes) }])), expect: { code: 'ERR_CRATE_CID_MISMATCH' } });
  const tokenBlock = carBlocks(c0).find((b) => b.cid.toString() === t3.toString())!;
  add({ comment: 'CAR: one CID twice, with other bytes the second time', flags: ['CrateCidMismatch'], carHex: hex(rawCar([c0.root as CID], [...carBlocks(c0), { cid: tokenBlock.cid, bytes: flipLast(tokenBlock.bytes) }])), expect: { code: 'ERR_CRATE_CID_MISMATCH' } });
  add({ comment: 'CAR: one block twice with the same bytes', flags: ['CrateValid', 'CrateCar'], carHex: hex(rawCar([c0.root as CID], [...carBlocks(c0), tokenBlock])), expect: { valid: expectedReport(c0, known) } });

  // Links that resolve to nothing, and declared lists that lie.
  const trimmedNodes = blocksOf(trimmed).map((b) => b.bytes);
  add({ comment: 'compact: a trimmed crate that does not declare what it trimmed', flags: ['CrateDanglingLink'], compact: compactOf(trimmedNodes, []), expect: { code: 'ERR_CRATE_DANGLING_LINK' } });
  add({ comment: 'CAR: a trimmed crate without its manifest', flags: ['CrateDanglingLink'], carHex: hex(rawCar([trimmed.root as CID], carBlocks(trimmed))), expect: { code: 'ERR_CRATE_DANGLING_LINK' } });
  const c1Nodes = blocksOf(c1);
  const withoutNode = (cid: NodeCid) => c1Nodes.filter((b) => b.cid.toString() !== cid.toString()).map((b) => b.bytes);
  add({ comment: 'compact: a token left out without being declared trimmed', flags: ['CrateDanglingLink'], compact: compactOf(withoutNode(t4), []), expect: { code: 'ERR_CRATE_DANGLING_LINK' } });
  add({ comment: 'compact: the earlier root left out and declared trimmed: roots are never trimmed', flags: ['CrateDanglingLink'], compact: compactOf(withoutNode(c0.root), [c0.root as CID]), expect: { code: 'ERR_CRATE_DANGLING_LINK' } });
  const declared = trimmed.trimmed as CID[];
  add({ comment: 'compact: a present node also declared trimmed', flags: ['CrateDeclaredTrimmed'], compact: compactOf(trimmedNodes, [...declared, t1 as CID].sort((a, b) => Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)))), expect: { code: 'ERR_CRATE_NODE_INVALID' } });
  if (declared.length >= 2) add({ comment: 'compact: the trimmed list out of order', flags: ['CrateDeclaredTrimmed'], compact: compactOf(trimmedNodes, [...declared].reverse()), expect: { code: 'ERR_CRATE_NODE_INVALID' } });
  const stray = block({ type: 'token', format: 'other', bytes: derive(seed, 'crate/stray') });
  add({ comment: 'compact: a node nobody links to', flags: ['CrateUnreachable'], compact: compactOf([...blocksOf(c0).map((b) => b.bytes), stray.bytes], []), expect: { code: 'ERR_CRATE_NODE_INVALID' } });
  const c0Nodes = blocksOf(c0).map((b) => b.bytes);
  add({ comment: 'compact: two nodes out of canonical order', flags: ['CrateCompactOrder'], compact: compactOf([c0Nodes[0]!, c0Nodes[2]!, c0Nodes[1]!, ...c0Nodes.slice(3)], []), expect: { code: 'ERR_NONCANONICAL' } });
  add({ comment: 'compact: a node given twice', flags: ['CrateMalformedCompact'], compact: compactOf([...c0Nodes, c0Nodes[1]!], []), expect: { code: 'ERR_MALFORMED' } });

  // Nodes that are not canonical DAG-CBOR or break the schemas (spec §10.2, §10.3).
  const insert = (bytes: Uint8Array) => compactOf([c0Nodes[0]!, bytes, ...c0Nodes.slice(1)], []);
  const nodeCase = (bytes: Uint8Array, comment: string, flags: string[], expect: Expectation<CrateValue>) => add({ comment: `compact: ${comment}`, flags, compact: insert(bytes), expect });
  const tokenBytes = derive(seed, 'crate/raw');
  nodeCase(rawMap([['format', 'other'], ['bytes', tokenBytes], ['type', 'token']]), 'a token node with its keys in reverse order', ['CrateNonCanonicalNode'], { code: 'ERR_NONCANONICAL' });
  nodeCase(concat(dagCbor.encode({ type: 'token', format: 'other', bytes: tokenBytes }), [0x00]), 'a token node followed by a stray byte', ['CrateStrictCbor'], { code: 'ERR_CBOR' });
  // Strict DAG-CBOR in codes (spec §10.3.1), each fault in an otherwise valid token node.
  const withMeta = (raw: readonly number[]) => {
    // A valid token node whose meta value is replaced, byte for byte, by `raw`.
    const marker = 'meta-value-here';
    const node = dagCbor.encode({ type: 'token', format: 'other', bytes: tokenBytes, meta: { k: marker } });
    const placeholder = concat([0x60 + marker.length], new TextEncoder().encode(marker));
    const at = Buffer.from(node).indexOf(Buffer.from(placeholder));
    return concat(node.subarray(0, at), raw, node.subarray(at + placeholder.length));
  };
  const cborCase = (value: readonly number[], comment: string, code: ErrorCode) => nodeCase(withMeta(value), `a token whose meta value is ${comment}`, ['CrateStrictCbor'], { code });
  cborCase([0x18, 0x01], 'the integer 1 with a one-byte argument it does not need', 'ERR_NONCANONICAL');
  cborCase([0x9f, 0x01, 0xff], 'an indefinite-length list', 'ERR_NONCANONICAL');
  cborCase([0xf9, 0x3e, 0x00], 'a half-precision float (DAG-CBOR floats are 64-bit)', 'ERR_NONCANONICAL');
  cborCase([0x62, 0xc3, 0x28], 'text that is not UTF-8', 'ERR_NONCANONICAL');
  cborCase([0xf7], 'undefined', 'ERR_CBOR');
  cborCase([0xf0], 'a simple value', 'ERR_CBOR');
  cborCase([0xc1, 0x01], 'a tag other than 42', 'ERR_CBOR');
  cborCase([0xd8, 0x2a, 0x61, 0x00], 'tag 42 over text', 'ERR_CBOR');
  cborCase([0xa1, 0x01, 0x01], 'a map with an integer key', 'ERR_CBOR');
  cborCase([0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02], 'a map that repeats a key', 'ERR_DUPLICATE_KEY');
  cborCase([0xa2, 0x62, 0x62, 0x62, 0x01, 0x61, 0x61, 0x02], 'a map whose keys are not length-first sorted', 'ERR_NONCANONICAL');
  cborCase([0x82, 0x18, 0x01, 0xc1, 0x01], 'a long integer head, then a tag other than 42: the first item-level fault in byte order', 'ERR_NONCANONICAL');
  cborCase([0x82, 0xc1, 0x01, 0x18, 0x01], 'a tag other than 42, then a long integer head: the first item-level fault in byte order', 'ERR_CBOR');
  cborCase([0x82, 0xa2, 0x62, 0x62, 0x62, 0x01, 0x61, 0x61, 0x02, 0xc1, 0x01], 'keys out of order, then a tag other than 42: item-level faults before the re-encoding', 'ERR_CBOR');
  cborCase([0x82, 0x62, 0xc3, 0x28, 0xf7], 'text that is not UTF-8, then undefined: item-level faults before the re-encoding', 'ERR_CBOR');
  const schemaCase = (node: unknown, comment: string) => nodeCase(dagCbor.encode(node), comment, ['CrateNodeInvalid'], { code: 'ERR_CRATE_NODE_INVALID' });
  schemaCase({ type: 'blob', bytes: tokenBytes }, 'a node of unknown type');
  schemaCase({ type: 'token', format: 'pdf', bytes: tokenBytes }, 'a token of unknown format');
  schemaCase({ type: 'token', format: 'other', bytes: new Uint8Array(0) }, 'a token with no bytes');
  schemaCase({ type: 'token', format: 'other', bytes: tokenBytes, owner: 'eve' }, 'a token with an unknown member');
  schemaCase({ type: 'token', format: 'other', bytes: tokenBytes, meta: { ratio: 0.5 } }, 'a token whose meta holds a float');
  schemaCase({ type: 'token', format: 'other', bytes: tokenBytes, meta: { next: t1 } }, 'a token whose meta holds a link');
  schemaCase({ type: 'bucket', name: '', items: [] }, 'a bucket with an empty name');
  schemaCase({ type: 'bucket', name: 'dup', items: [t1, t1] }, 'a bucket that links one item twice');
  schemaCase({ type: 'bucket', name: 'raw', items: [CID.createV1(0x55, (t1 as CID).multihash)] }, 'a bucket item that is a raw-codec CID');
  schemaCase({ type: 'bucket', name: 'v0', items: [CID.createV0((t1 as CID).multihash as never)] }, 'a bucket item that is a CIDv0');
  schemaCase({ type: 'crate', version: 2, buckets: [], attestations: [] }, 'a root of version 2');
  schemaCase({ type: 'attestation', subjects: [], statement: tokenBytes }, 'an attestation of nothing');
  const [s1, s2] = [t1, t3].sort((a, b) => Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)));
  schemaCase({ type: 'attestation', subjects: [s2, s1], statement: tokenBytes }, 'an attestation whose subjects are not sorted');
  let deep: unknown = 1;
  for (let i = 0; i < 20; i++) deep = [deep];
  nodeCase(dagCbor.encode({ type: 'token', format: 'other', bytes: tokenBytes, meta: { deep } }), 'a token whose meta nests 20 deep', ['CrateLimit'], { code: 'ERR_LIMIT_EXCEEDED' });

  // Links of the wrong kind (spec §10.2.6), in crates assembled node by node.
  const genesis = block({ type: 'crate', version: 1, buckets: [], attestations: [] });
  const lone = block({ type: 'token', format: 'other', bytes: tokenBytes });
  const wrongItem = block({ type: 'bucket', name: 'roots', items: [genesis.cid] });
  const kindCase = (nodes: CrateBlock[], comment: string) => add({ comment, flags: ['CrateLinkKind'], compact: compactOf(nodes.map((b) => b.bytes), []), expect: { code: 'ERR_CRATE_NODE_INVALID' } });
  const head = (node: Omit<Extract<CrateNode, { type: 'crate' }>, 'type' | 'version'>) => block({ type: 'crate', version: 1, ...node });
  kindCase([head({ buckets: [wrongItem.cid], attestations: [] }), wrongItem, genesis], 'a bucket item that links a crate root');
  kindCase([head({ buckets: [lone.cid], attestations: [] }), lone], 'a root bucket link to a token');
  const bucketB = block({ type: 'bucket', name: 'b', items: [lone.cid] });
  kindCase([head({ buckets: [], attestations: [bucketB.cid] }), bucketB, lone], 'a root attestation link to a bucket');
  kindCase([head({ buckets: [], attestations: [], prev: bucketB.cid }), bucketB, lone], 'a root prev link to a bucket');

  // Depth is the longest path (spec §10.5.1). The chain x1 > x2 > x3 > leaf is first walked from y
  // (depth 6), then reached again through w: the longest path is root, y, w, x1, x2, x3, leaf = 7. A
  // walk that counts a node it already finished as one node, instead of its height, finds 6.
  const leaf = block({ type: 'token', format: 'other', bytes: derive(seed, 'crate/deep-leaf') });
  const x3 = block({ type: 'bucket', name: 'x3', items: [leaf.cid] });
  const x2 = block({ type: 'bucket', name: 'x2', items: [x3.cid] });
  const x1 = block({ type: 'bucket', name: 'x1', items: [x2.cid] });
  const w = block({ type: 'bucket', name: 'w', items: [x1.cid] });
  const y = block({ type: 'bucket', name: 'y', items: [x1.cid, w.cid] });
  const deepHead = block({ type: 'crate', version: 1, buckets: [y.cid], attestations: [] });
  const deepCrate = linkCrate(deepHead.cid, new Map([deepHead, y, x1, x2, x3, leaf, w].map((b) => [b.cid.toString(), b] as const)), DEFAULT_CRATE_LIMITS);
  const deepReport = expectedReport(deepCrate, known);
  add({ comment: 'a node reached again through a longer path: depth 7, not 6', flags: ['CrateDepth', 'CrateValid'], compact: toCompact(deepCrate), carHex: carOf(deepCrate), expect: { valid: deepReport } });
  add({ comment: 'the same crate at maxDepth 7', flags: ['CrateDepth', 'AtLimit'], compact: toCompact(deepCrate), options: { limits: { maxDepth: deepReport.depth } }, expect: { valid: deepReport } });
  add({ comment: 'the same crate at maxDepth 6: the shortest-first depth is not the depth', flags: ['CrateDepth', 'CrateLimit'], compact: toCompact(deepCrate), options: { limits: { maxDepth: deepReport.depth - 1 } }, expect: { code: 'ERR_LIMIT_EXCEEDED' } });

  // Several faults in one crate: the first check in the order of spec §10.5.3 gives the code.
  const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
  const deepNodes = blocksOf(deepCrate).map((b) => b.bytes);
  const withoutLeaf = deepNodes.filter((b) => !sameBytes(b, leaf.bytes));
  const order = (nodes: Uint8Array[], trimmedList: CID[], comment: string, code: ErrorCode, options?: CrateCaseInit['options']) =>
    add({ comment, flags: ['CrateCheckOrder'], compact: compactOf(nodes, trimmedList), ...(options ? { options } : {}), expect: { code } });
  order([...withoutLeaf, stray.bytes], [], 'a stray node and a link that is neither present nor declared: reachability before the declared list', 'ERR_CRATE_NODE_INVALID');
  order(withoutLeaf, [], 'a link that is neither present nor declared, at maxDepth 5: the walk (depth) before the declared list', 'ERR_LIMIT_EXCEEDED', { limits: { maxDepth: 5 } });
  order([...withoutLeaf, stray.bytes], [leaf.cid as CID], 'a stray node with more present and trimmed nodes than maxNodes: the node count before anything else', 'ERR_LIMIT_EXCEEDED', { limits: { maxNodes: withoutLeaf.length + 1 } });
  const twoTrimmed = [leaf.cid as CID, stray.cid as CID].sort((a, b) => Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)));
  const x3Only = deepNodes.filter((b) => !sameBytes(b, x3.bytes) && !sameBytes(b, leaf.bytes));
  order(x3Only, [...twoTrimmed].reverse(), 'x3 neither present nor declared, and a declared list out of order: the order of the list first', 'ERR_CRATE_NODE_INVALID');
  order(x3Only, [stray.cid as CID], 'x3 neither present nor declared, an unlinked CID declared: the undeclared link before the unlinked declaration', 'ERR_CRATE_DANGLING_LINK');
  order([deepNodes[0]!, ...deepNodes.slice(1).reverse(), stray.bytes], [], 'nodes out of canonical order and a stray node: the graph rules before the order of the compact form', 'ERR_CRATE_NODE_INVALID');

  // Attestations whose statement does not vouch for the node's subjects.
  const statement = async (key: SigningKey, attests: readonly NodeCid[], format: 'cbor' | 'jwt' = 'cbor', audience = key.publicKey) => {
    // Only the CBOR form can be typed as a statement (§10.4.2): the JWT one is an ordinary token.
    const t = await issue({ key, audienceKey: audience, format, ...(format === 'cbor' ? { use: 'attestation' as const } : {}), claims: { exp: NOW + HOUR, data: { ctx: ATTESTATION_CONTEXT, attests: attests.map(String) } } });
    return format === 'cbor' ? encodeToken(t, 'cbor') : new TextEncoder().encode(encodeToken(t, 'jwt'));
  };
  const withAttestation = async (subjects: NodeCid[], stmt: Uint8Array) => {
    const att = block({ type: 'attestation', subjects, statement: stmt });
    const root = block({ type: 'crate', version: 1, buckets: [], attestations: [att.cid], prev: c0.root });
    return toCompact(linkCrate(root.cid, new Map([...c0.blocks, [att.cid.toString(), att], [root.cid.toString(), root]]), DEFAULT_CRATE_LIMITS));
  };
  const gw = cast.key('gateway');
  const attCase = async (subjects: NodeCid[], stmt: Uint8Array, comment: string, flags: string[], code: ErrorCode) =>
    add({ comment, flags, compact: await withAttestation(subjects, stmt), expect: { code } });
  await attCase([c0.root], await statement(gw, [access]), 'a statement that attests another CID than the node lists', ['CrateAttestationInvalid'], 'ERR_CRATE_NODE_INVALID');
  await attCase([c0.root], await statement(gw, [c0.root], 'jwt'), 'a statement in the JWT form: an ordinary token, not typed as a statement', ['CrateAttestationInvalid'], 'ERR_HEADER_INVALID');
  await attCase([c0.root], await statement(gw, [c0.root], 'cbor', cast.key('foo').publicKey), 'a statement handed to another key instead of its signer', ['CrateAttestationInvalid'], 'ERR_CRATE_NODE_INVALID');
  await attCase([c0.root], await statement(cast.key('stranger'), [c0.root]), 'a statement signed by a key the bundle does not list', ['CrateAttestationInvalid', 'UntrustedKey'], 'ERR_KEY_UNTRUSTED');
  const honest = await statement(gw, [c0.root]);
  const tampered = Uint8Array.from(honest);
  tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0x01;
  await attCase([c0.root], tampered, 'a statement with a changed signature', ['CrateAttestationInvalid', 'ModifiedSignature'], 'ERR_SIGNATURE_INVALID');
  const badToken = new CrateBuilder(c0);
  const coseLast = await idChain(cast, { roles: ['idp', 'gateway', 'foo'], formats: ['jwt', 'cbor'], tag: 'crate-bad' });
  badToken.bucket({ name: 'bad', items: [badToken.token({ format: 'nestoken', bytes: flipLast(cborForm(coseLast.token)) })] });
  add({ comment: 'a nestoken inside whose last signature byte changed', flags: ['CrateTokenInvalid', 'ModifiedSignature'], compact: toCompact(badToken.build()), expect: { code: 'ERR_SIGNATURE_INVALID' } });

  // The transport forms (spec §10.7, §10.8).
  const compact0 = toCompact(c0);
  add({ comment: 'compact: padded base64', flags: ['CrateMalformedCompact', 'NonCanonicalBase64'], compact: `${compact0}==`, expect: { code: 'ERR_BASE64' } });
  add({ comment: 'compact: standard base64 letters', flags: ['CrateMalformedCompact', 'NonCanonicalBase64'], compact: `+${compact0.slice(1)}`, expect: { code: 'ERR_BASE64' } });
  add({ comment: 'compact: version 2', flags: ['CrateMalformedCompact'], compact: b64u(dagCbor.encode([2, c0Nodes, []])), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'compact: no nodes', flags: ['CrateMalformedCompact'], compact: b64u(dagCbor.encode([1, [], []])), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'compact: two elements instead of three', flags: ['CrateMalformedCompact'], compact: b64u(dagCbor.encode([1, c0Nodes])), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'compact: a node that is text', flags: ['CrateMalformedCompact'], compact: b64u(dagCbor.encode([1, ['node'], []])), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'CAR: not a CAR at all', flags: ['CrateMalformedCar'], carHex: hex(concat([0xff, 0x00, 0x01], c0Nodes[0]!)), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'CAR: three roots', flags: ['CrateMalformedCar'], carHex: hex(rawCar([c0.root as CID, t1 as CID, t3 as CID], carBlocks(c0))), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'CAR: a manifest root with no manifest block', flags: ['CrateMalformedCar'], carHex: hex(rawCar(roots(trimmed), carBlocks(trimmed))), expect: { code: 'ERR_MALFORMED' } });
  const foreign = encodeManifest(c0.root, trimmed.trimmed);
  add({ comment: 'CAR: a manifest that names another head', flags: ['CrateMalformedCar', 'CrateDeclaredTrimmed'], carHex: hex(rawCar([trimmed.root as CID, foreign.cid as CID], [...carBlocks(trimmed), { cid: foreign.cid as CID, bytes: foreign.bytes }])), expect: { code: 'ERR_CRATE_NODE_INVALID' } });

  // Counts before parsing (spec §10.7 step 1, §10.8 step 2): the sections are garbage, the count alone refuses them.
  const headerOnly = rawCar([c0.root as CID], []);
  const tinySections = Array.from({ length: 6 }, () => [0x01, 0x00]).flat();
  add({ comment: 'CAR: more block sections than maxNodes + 1, counted from their lengths before any is parsed', flags: ['CrateLimit', 'CrateCar'], carHex: hex(concat(headerOnly, tinySections)), options: { limits: { maxNodes: 4 } }, expect: { code: 'ERR_LIMIT_EXCEEDED' } });
  add({ comment: 'CAR: as many block sections as maxNodes + 1, each unreadable', flags: ['CrateMalformedCar'], carHex: hex(concat(headerOnly, tinySections)), options: { limits: { maxNodes: 5 } }, expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'CAR: a section whose length runs past the end', flags: ['CrateMalformedCar'], carHex: hex(concat(headerOnly, [0x7f, 0x01])), expect: { code: 'ERR_MALFORMED' } });
  add({ comment: 'compact: more nodes than maxNodes, each unreadable, refused from the list head', flags: ['CrateLimit', 'CrateCompact'], compact: b64u(dagCbor.encode([1, Array.from({ length: 6 }, () => new Uint8Array([0xff])), []])), options: { limits: { maxNodes: 5 } }, expect: { code: 'ERR_LIMIT_EXCEEDED' } });

  // Limits (spec §10.6), at and one short of what c0 needs.
  const c0Report = expectedReport(c0, known);
  const totalBytes = blocksOf(c0).reduce((n, b) => n + b.bytes.length, 0);
  const compactBytes = dagCbor.encode([1, c0Nodes, []]).length;
  const largest = Math.max(...blocksOf(c0).map((b) => b.bytes.length));
  const depth = c0.depth;
  for (const [limit, value, code, flagShort] of [
    ['maxNodes', c0.blocks.size, 'ERR_LIMIT_EXCEEDED', 'CrateLimit'],
    ['maxDepth', depth, 'ERR_LIMIT_EXCEEDED', 'CrateLimit'],
    ['maxFanout', 2, 'ERR_LIMIT_EXCEEDED', 'CrateLimit'],
    ['maxNodeBytes', largest, 'ERR_INPUT_TOO_LARGE', 'CrateLimit'],
    // The budgeted size of spec §10.6: node bytes, 64 per node, 256 once; it bounds the compact bytes too.
    ['maxTotalBytes', Math.max(totalBytes + 64 * (c0.blocks.size + c0.trimmed.length) + 256, compactBytes), 'ERR_INPUT_TOO_LARGE', 'CrateLimit'],
  ] as const) {
    add({ comment: `compact: ${limit} = ${value}, exactly what the crate needs`, flags: ['AtLimit', 'CrateCompact'], compact: compact0, options: { limits: { [limit]: value } }, expect: { valid: c0Report } });
    add({ comment: `compact: ${limit} = ${value - 1}, one short`, flags: [flagShort], compact: compact0, options: { limits: { [limit]: value - 1 } }, expect: { code } });
  }

  // Merges (spec §10.4.5).
  const m = file.group({ type: 'CrateMerge', comment: 'Merging two crates given in the compact form: a union by CID whose head is the later of the two; histories that split cannot be merged.', keys, trust });
  const merge = (a: Crate, b: Crate, comment: string, flags: string[], expect: Expectation<CrateValue>, options?: CrateCaseInit['options']) =>
    m.add({ comment, flags: ['CrateMerge', ...flags], merge: { a: toCompact(a), b: toCompact(b) }, now: NOW, ...(options ? { options } : {}), expect });
  const union = (a: Crate, b: Crate, head: NodeCid) => expectedMerge(head, new Map([...a.blocks, ...b.blocks]).values());
  merge(c0, c1, 'a crate and its extension', [], { valid: union(c0, c1, c1.root) });
  merge(c1, c0, 'an extension and the crate it extends', [], { valid: union(c1, c0, c1.root) });
  merge(c1, c1, 'a crate with itself', [], { valid: union(c1, c1, c1.root) });
  merge(trimmed, c1, 'a trimmed crate and the whole: the trimmed nodes come back', ['CrateTrimmed'], { valid: union(trimmed, c1, c1.root) });
  const other = trim(c1, [t4]);
  merge(trimmed, other, 'two trims of one crate: each restores what the other trimmed', ['CrateTrimmed'], { valid: union(trimmed, other, c1.root) });
  merge(c1, fork, 'two extensions of one crate: their histories split', ['CrateMergeConflict'], { code: 'ERR_CRATE_MERGE_CONFLICT' });
  merge(trimmed, fork, 'a trimmed extension and another extension', ['CrateMergeConflict', 'CrateTrimmed'], { code: 'ERR_CRATE_MERGE_CONFLICT' });
  merge(c0, c1, 'a union larger than maxNodes', ['CrateLimit'], { code: 'ERR_LIMIT_EXCEEDED' }, { limits: { maxNodes: c1.blocks.size - 1 } });

  return file.finish({
    topic: 'crates',
    algorithm: 'DAG-CBOR, CIDv1 sha2-256',
    header: [
      'Crates (spec §10): hash-addressed nodes (tokens, buckets, attestations, roots) in the compact form and as CARv1 files.',
      'CrateVerify tests read the crate and verify it (§10.9); CrateMerge tests merge two crates (§10.4.5). CIDs appear in their base32 text form.',
    ],
  });
}
